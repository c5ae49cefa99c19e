"""Images in our storage and their resized variants (docs/media.md).

A `StoredImage` row records that an image was processed: its upright size and
the storage names of its variants. Images are processed once, when uploaded
or the first time a saved article references them (imported articles, or
bodies written before variants existed), never while a page is served.
"""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from PIL import Image, UnidentifiedImageError

from articles.media.responsive import (
    Picture,
    image_sources,
    responsive_images,
    with_dimensions,
)
from articles.media.variants import make_variants

VARIANT_FOLDER = "variants"
DECODE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
)


class StoredImage(models.Model):
    name = models.CharField(max_length=300, unique=True)  # the source's storage name
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # {"full": name, "fallback": [[width, name]], "sources": [[mime, [[width, name]]]]}
    variants = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "stored image"

    def __str__(self):
        return self.name

    def picture(self):
        """Return the image as a Picture, with URLs from the storage backend."""
        url = default_storage.url

        def urls(candidates):
            return [(width, url(name)) for width, name in candidates]

        return Picture(
            width=self.width,
            height=self.height,
            full_url=url(self.variants["full"]),
            fallback=urls(self.variants["fallback"]),
            sources=[(mime, urls(candidates)) for mime, candidates in self.variants["sources"]],
        )


def storage_name(src):
    """Return the storage name an image URL points at, or None when it is not in our media."""
    media = settings.MEDIA_URL
    parts = urlsplit(src.strip())
    if parts.query or parts.fragment:
        return None
    if urlsplit(media).netloc:
        path = src.strip()
    elif parts.netloc:
        site = urlsplit(settings.SITE_URL)
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return None
        path = parts.path
    else:
        path = parts.path
    if not path.startswith(media):
        return None
    name = unquote(path[len(media) :])
    segments = name.split("/")
    if not name or ".." in segments or "" in segments or segments[0] == VARIANT_FOLDER:
        return None
    return name


def process_image(name):
    """Make and store the variants of the image stored under name; return its row or None."""
    existing = StoredImage.objects.filter(name=name).first()
    if existing is not None:
        return existing
    try:
        with default_storage.open(name) as source:
            data = source.read(settings.MAX_IMAGE_SOURCE_BYTES + 1)
        if len(data) > settings.MAX_IMAGE_SOURCE_BYTES:
            return None
        made = make_variants(data)
    except (FileNotFoundError, *DECODE_ERRORS):
        return None  # Not an image we can decode: it stays as the author linked it.
    if made is None:
        return None
    folder = f"{VARIANT_FOLDER}/{made.digest[:2]}/{made.digest}"

    def store(variant):
        target = f"{folder}/{variant.suffix}"
        if not default_storage.exists(target):
            target = default_storage.save(target, ContentFile(variant.data))
        return target

    by_mime = {}
    for variant in made.sized:
        by_mime.setdefault(variant.mime, []).append([variant.width, store(variant)])
    variants = {
        "full": store(made.full),
        "fallback": by_mime.pop(made.fallback),
        "sources": list(by_mime.items()),
    }
    try:
        with transaction.atomic():
            return StoredImage.objects.create(
                name=name, width=made.width, height=made.height, variants=variants
            )
    except IntegrityError:
        return StoredImage.objects.get(name=name)  # Another worker processed it meanwhile.


def responsive_body(body_html):
    """Return rendered HTML whose images in our storage are responsive, linked pictures.

    Images among the site's static files (a theme's or the demo's pictures) keep
    their file and gain their width and height.
    """
    sources = image_sources(body_html)
    names = {src: storage_name(src) for src in sources}
    wanted = {name for name in names.values() if name}
    if wanted:
        rows = {row.name: row for row in StoredImage.objects.filter(name__in=wanted)}
        for name in wanted - rows.keys():
            row = process_image(name)
            if row is not None:
                rows[name] = row
        pictures = {name: row.picture() for name, row in rows.items()}
        body_html = responsive_images(body_html, lambda src: pictures.get(names.get(src)))
    if any(src.startswith(settings.STATIC_URL) for src in sources):
        body_html = with_dimensions(body_html, static_image_size)
    return body_html


def static_image_size(src):
    """Return (width, height) of an image among the static files at src, or None."""
    if not src.startswith(settings.STATIC_URL):
        return None
    path = finders.find(unquote(urlsplit(src).path[len(settings.STATIC_URL) :]))
    if not path:
        return None
    try:
        with Image.open(path) as image:
            return image.size
    except DECODE_ERRORS:
        return None
