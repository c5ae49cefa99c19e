"""Responsive images in Chromium: no layout shift, and small screens fetch small files.

The bytes each viewport transfers are written to test-artifacts/image-bytes.txt,
beside the same article with its images served the old way (full size), which a
query string keeps the renderer from rewriting (articles/models/images.py).
"""

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageFilter

from articles.models import StoredImage
from tests.browser.tools import MOBILE, REPO
from tests.factories import ArticleFactory

DESKTOP = {"width": 1280, "height": 900}
PARAGRAPH = "Layout must not move while pictures arrive. " * 12

# Sum of layout-shift entries without recent input, as Chromium's CLS does for one window.
OBSERVE_SHIFTS = """
window.__shifts = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


def photo_like(seed, size=(2400, 1600)):
    """Return a JPEG that compresses like a photo: smooth colour plus fine noise."""
    noise = Image.effect_noise(size, 60 + seed).convert("RGB")
    gradient = Image.linear_gradient("L").resize(size).convert("RGB")
    tinted = Image.merge(
        "RGB",
        (gradient.getchannel(0), noise.getchannel(1), gradient.getchannel(0).rotate(seed * 40)),
    )
    image = Image.blend(tinted, noise, 0.35).filter(ImageFilter.GaussianBlur(1))
    out = BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def image_article(count=6, *, original=False):
    names = [
        default_storage.save(f"imports/p{n}.jpg", ContentFile(photo_like(n))) for n in range(count)
    ]
    suffix = "?original" if original else ""
    body = "\n\n".join(
        f'{PARAGRAPH}\n\n![Picture {n}](/media/{name}{suffix} "Picture {n}")'
        for n, name in enumerate(names)
    )
    return ArticleFactory(title="Pictures" + (" (before)" if original else ""), body=body)


def visit(browser, live_server, url, viewport):
    """Load the page, scroll to the end so every picture loads; return (CLS, image bytes)."""
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.add_init_script(OBSERVE_SHIFTS)
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request))
    page.goto(url, wait_until="load")
    height = page.evaluate("document.body.scrollHeight")
    for _step in range(0, height + viewport["height"], viewport["height"] // 2):
        page.mouse.wheel(0, viewport["height"] // 2)
        page.wait_for_timeout(100)
    page.wait_for_function(
        "() => [...document.images].every(image => image.complete && image.naturalWidth > 0)"
    )
    shifts = page.evaluate("window.__shifts")
    images = [r for r in fetched if r.resource_type == "image" and "/media/" in r.url]
    total = sum(r.sizes()["responseBodySize"] for r in images)
    context.close()
    return shifts, total, len(images)


def test_pictures_do_not_shift_the_layout_and_fit_the_screen(browser, live_server):
    after = image_article()
    before = image_article(original=True)
    assert StoredImage.objects.count() == 6
    lines = []
    figures = {}
    for label, viewport in (("375px", MOBILE), ("1280px", DESKTOP)):
        for name, article in (("before", before), ("after", after)):
            shifts, total, count = visit(browser, live_server, article.get_absolute_url(), viewport)
            figures[label, name] = total
            lines.append(f"{label} {name}: {count} images, {total:,} bytes, CLS {shifts:.4f}")
            if name == "after":
                assert shifts < 0.05, lines[-1]
                assert count == 6
    artifacts = REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "image-bytes.txt").write_text("\n".join(lines) + "\n")
    assert figures["375px", "after"] < figures["1280px", "after"] <= figures["1280px", "before"]
    assert figures["375px", "after"] * 4 < figures["375px", "before"]
