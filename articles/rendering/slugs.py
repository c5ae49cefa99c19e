"""Readable Unicode slugs: `注意力机制` stays Chinese, mixed titles keep both scripts."""

import regex
from django.utils.text import slugify

MAX_SLUG_LENGTH = 80
FALLBACK_SLUG = "article"

# Punctuation outside ASCII (（）：，。、《》「」…—): slugify would delete it and
# run the words on each side together, so it separates words like a space.
_WIDE_PUNCTUATION = regex.compile(r"(?![\x00-\x7f])[\p{P}\p{S}\p{Zs}]+")


def separate_words(text):
    """Return text with non-ASCII punctuation turned into spaces, ready for slugify."""
    return _WIDE_PUNCTUATION.sub(" ", text or "")


def slug_from_text(text, *, max_length=MAX_SLUG_LENGTH):
    """Return a lowercase Unicode slug for text, never empty."""
    slug = slugify(separate_words(text), allow_unicode=True)
    if len(slug) > max_length:
        # Cut at a word boundary when there is one, so slugs don't end mid-word.
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug.strip("-_") or FALLBACK_SLUG


def unique_slug(base, *, taken):
    """Return base, or base-2, base-3... whichever `taken(slug)` says is free."""
    if not taken(base):
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = f"{base[: MAX_SLUG_LENGTH - len(suffix)]}{suffix}"
        if not taken(candidate):
            return candidate
        number += 1
