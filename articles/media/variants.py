"""Resize an image into the variants a page offers with srcset (docs/media.md).

Pure Pillow, no storage or models: bytes in, encoded variants out. Every
variant is decoded pixels re-encoded from scratch, so no metadata (EXIF with
its GPS position, XMP, comments) survives, and the camera's orientation is
applied to the pixels first, so a portrait photo is upright everywhere.
"""

import hashlib
from dataclasses import dataclass, field
from io import BytesIO

from PIL import Image, ImageOps, features

# Widths offered to srcset; an image narrower than one is offered at its own width.
WIDTHS = (480, 960, 1600)
# Modern formats first: the browser takes the first <source> it supports.
AVIF = ("image/avif", "AVIF", "avif", {"quality": 60, "speed": 8})
WEBP = ("image/webp", "WEBP", "webp", {"quality": 80, "method": 4})
JPEG = ("image/jpeg", "JPEG", "jpg", {"quality": 82, "optimize": True, "progressive": True})
PNG = ("image/png", "PNG", "png", {"optimize": True})


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    mime: str
    suffix: str  # "480.webp", "full.jpg"
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Variants:
    digest: str  # of the source bytes: variant names never repeat for new content
    width: int  # the upright image's size
    height: int
    fallback: str  # the mime type every browser shows
    sized: list  # Variant, resized, in every format
    full: Variant  # full size, fallback format, metadata stripped: the link target


def modern_formats():
    """Return the modern encoders this Pillow build has (AVIF needs libavif)."""
    return [kind for kind, name in ((AVIF, "avif"), (WEBP, "webp")) if features.check(name)]


def upright(image):
    """Return the image with its orientation applied, in a mode the encoders take."""
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def encode(image, kind, suffix):
    mime, pillow_format, extension, options = kind
    out = BytesIO()
    image.save(out, pillow_format, **options)
    return Variant(image.width, image.height, mime, f"{suffix}.{extension}", out.getvalue())


def widths_for(width):
    """Return the widths to offer: those of WIDTHS below the image's, then its own (capped)."""
    widest = min(width, WIDTHS[-1])
    return [w for w in WIDTHS if w < widest] + [widest]


def make_variants(data):
    """Return the variants of an image, or None for what is not a still raster image."""
    with Image.open(BytesIO(data)) as source:
        if getattr(source, "is_animated", False):
            return None  # Resizing would drop every frame but the first.
        source_format = source.format
        image = upright(source)
    fallback = PNG if source_format in ("PNG", "GIF") or image.mode == "RGBA" else JPEG
    if fallback is JPEG and image.mode != "RGB":
        image = image.convert("RGB")
    sized = []
    for width in widths_for(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.LANCZOS)
        for kind in (*modern_formats(), fallback):
            sized.append(encode(resized, kind, str(width)))
    return Variants(
        digest=hashlib.sha256(data).hexdigest()[:32],
        width=image.width,
        height=image.height,
        fallback=fallback[0],
        sized=sized,
        full=encode(image, fallback, "full"),
    )


def without_metadata(data):
    """Return an upload re-encoded upright with no metadata, in its own format.

    Animated GIFs are returned as they are: GIF carries no EXIF or GPS.
    """
    with Image.open(BytesIO(data)) as source:
        source_format = source.format
        if getattr(source, "is_animated", False) or source_format == "GIF":
            return data
        image = upright(source)
    kind = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP}.get(source_format, PNG)
    if kind is JPEG:
        image = image.convert("RGB")
        kind = (*JPEG[:3], {"quality": 92})
    return encode(image, kind, "original").data
