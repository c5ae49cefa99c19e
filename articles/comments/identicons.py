"""Identicons drawn here from a keyed hash: a picture per commenter, no Gravatar request.

The hash is an HMAC of the email (articles.models.comments.email_digest), so the
picture reveals nothing a lookup table of email hashes could reverse.
"""

import hashlib

from django.utils.html import format_html
from django.utils.safestring import mark_safe

GRID = 5
CELL = 8


def identicon_svg(seed, *, label=""):
    """Return an inline SVG: a symmetric 5x5 pattern in one hue chosen by the seed."""
    digest = hashlib.sha256((seed or "anonymous").encode()).digest()
    hue = digest[0] * 360 // 256
    cells = []
    for row in range(GRID):
        for column in range((GRID + 1) // 2):
            if digest[1 + row * 3 + column] % 2:
                for x in {column, GRID - 1 - column}:
                    cells.append(
                        format_html(
                            '<rect x="{}" y="{}" width="{}" height="{}"/>',
                            x * CELL + 4,
                            row * CELL + 4,
                            CELL,
                            CELL,
                        )
                    )
    size = GRID * CELL + 8
    return format_html(
        '<svg class="identicon" viewBox="0 0 {size} {size}" width="40" height="40" '
        'role="img" aria-hidden="true" focusable="false">'
        '<rect width="{size}" height="{size}" fill="hsl({hue} 40% 92%)"/>'
        '<g fill="hsl({hue} 55% 42%)">{cells}</g></svg>',
        size=size,
        hue=hue,
        cells=mark_safe("".join(cells)),
    )
