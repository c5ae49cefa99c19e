"""Resized variants: widths, formats, orientation applied and metadata gone."""

from PIL import features

from articles.media.variants import WIDTHS, make_variants, without_metadata
from tests.media.images import has_gps, opened, photo


def test_variants_have_the_widths_and_formats_offered():
    made = make_variants(photo(rotated=False))
    assert (made.width, made.height) == (2000, 1500)
    expected = ["image/webp", "image/jpeg"]
    if features.check("avif"):
        expected.insert(0, "image/avif")
    by_width = {}
    for variant in made.sized:
        by_width.setdefault(variant.width, []).append(variant.mime)
        image = opened(variant.data)
        assert image.size == (variant.width, variant.height)
        assert image.get_format_mimetype() == variant.mime
        assert variant.height == round(1500 * variant.width / 2000)
    assert list(by_width) == list(WIDTHS)
    assert all(mimes == expected for mimes in by_width.values())
    assert opened(made.full.data).size == (2000, 1500)


def test_orientation_is_applied_and_gps_removed_from_every_variant():
    source = photo()  # stored landscape, flagged "rotate 90° clockwise to view"
    assert has_gps(source)
    made = make_variants(source)
    assert (made.width, made.height) == (1500, 2000)
    assert sorted({v.width for v in made.sized}) == [480, 960, 1500]
    for variant in [*made.sized, made.full]:
        image = opened(variant.data)
        assert image.height > image.width
        assert not has_gps(variant.data)
        assert not image.getexif()
    # The red corner moved with the rotation: top-left went to top-right.
    full = opened(made.full.data).convert("RGB")
    assert full.getpixel((full.width - 10, 10))[0] > 200
    assert full.getpixel((10, 10))[0] < 200


def test_small_images_are_not_enlarged():
    made = make_variants(photo(size=(300, 200), rotated=False))
    assert {variant.width for variant in made.sized} == {300}


def test_png_keeps_png_as_the_fallback():
    made = make_variants(photo(size=(600, 400), fmt="PNG", rotated=False, gps=False))
    assert made.fallback == "image/png"


def test_uploads_are_stored_upright_without_gps():
    clean = without_metadata(photo())
    assert not has_gps(clean)
    image = opened(clean)
    assert image.size == (1500, 2000)
    assert image.format == "JPEG"
