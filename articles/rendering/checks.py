"""A system check: the math assets that `make install` builds are present."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register

from articles.rendering.math_assets import FONT_FILES


@register()
def math_assets_check(app_configs, **kwargs):
    """Report each missing math asset with the command that builds it."""
    root = Path(settings.MATH_ASSETS_DIR)
    wanted = [root / "katex" / "katex.min.js", *(root / "static" / "fonts" / n for n in FONT_FILES)]
    return [
        Error(
            f"{path} is missing.",
            hint="Run `make install` (or `python -m articles.rendering.math_assets "
            f"{root}`); see docs/math.md.",
            id="inkstone.E010",
        )
        for path in wanted
        if not path.exists()
    ]
