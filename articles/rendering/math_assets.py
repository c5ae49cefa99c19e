"""Build the math renderer's assets from registry packages, at install time.

KaTeX's JavaScript and the Latin Modern Math font are third-party files: they
are never kept in the repository. `make install` runs this module, which
downloads the two hash-pinned wheels listed in math-assets.lock (without their
dependencies: only files are taken from them), extracts katex.min.js, and turns
the OpenType font into three WOFF2 files with fontTools: the letters, operators
and stretchy variants every formula needs; the italic letters, which every
formula with a variable needs too (browsers draw a one-letter <mi> with them);
and the other styled alphabets (\\mathbb and friends) that browsers fetch only
when a page uses one. The GUST Font License asks that modified fonts be renamed,
so the subset is called "Inkstone Math". docs/math.md explains the choice.
The whole font is kept too (not served): each article page uses its own cut of
it, made on first request (articles/media/math_fonts.py).

Run: python -m articles.rendering.math_assets [OUTPUT_DIR]
"""

import hashlib
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "math-assets.lock"
DEFAULT_OUTPUT = REPO / "build" / "math"
FAMILY = "Inkstone Math"
KATEX_MEMBER = "sphinxcontrib/katex.min.js"
FONT_MEMBER = "plothist_utils/fonts/latinmodernmath/latinmodern-math.otf"
FONT_LICENSE_MEMBER = "plothist_utils/fonts/latinmodernmath/LICENSE_LMMath"
# Under the output directory, outside static/: the whole font, kept for per-article subsets.
SOURCE_FONT = Path("source") / "latinmodern-math.otf"
# Under the output directory: the digest of the font and its split.
FONT_STAMP = "font-source.sha256"

# The first file: Latin, Greek, combining marks, punctuation, letterlike symbols,
# arrows, operators and technical symbols, with their stretchy variants.
CORE_RANGES = (
    (0x0020, 0x024F), (0x02B0, 0x03FF), (0x1E00, 0x1EFF), (0x2000, 0x2BFF),
    (0x2E00, 0x2E7F), (0x3000, 0x303F), (0xFB00, 0xFB06), (0xFE00, 0xFE00),
)  # fmt: skip
# What `text-transform: math-auto` maps single-letter identifiers to: italic Latin,
# dotless i and j, italic Greek. Apart, they cost 41 KB instead of the 221 KB of
# every styled alphabet, which pages with math alone used to fetch (docs/math.md).
ITALIC_RANGES = ((0x1D434, 0x1D467), (0x1D6A4, 0x1D6A5), (0x1D6E2, 0x1D71B))
ALPHANUMERIC_RANGES = (
    (0x1D400, 0x1D433), (0x1D468, 0x1D6A3), (0x1D6A6, 0x1D6E1), (0x1D71C, 0x1D7FF),
)  # fmt: skip
FONT_FILES = {
    "inkstone-math.woff2": CORE_RANGES,
    "inkstone-math-italic.woff2": ITALIC_RANGES,
    "inkstone-math-alphanumeric.woff2": ALPHANUMERIC_RANGES,
}


def unicode_range(ranges):
    """Return ranges as a CSS unicode-range value."""
    return ", ".join(f"U+{start:04X}-{end:04X}" for start, end in ranges)


def download(wheel_dir):
    """Download the locked wheels into wheel_dir; return {distribution: path}."""
    subprocess.run(
        [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            "--only-binary", ":all:", "--require-hashes", "-r", str(LOCK), "-d", str(wheel_dir),
        ],
        check=True,
    )  # fmt: skip
    return {path.name.split("-")[0]: path for path in Path(wheel_dir).glob("*.whl")}


def subset_woff2(otf_bytes, codes):
    """Return the font cut down to `codes`, their variants and script sizes included, as WOFF2."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # copyright and licence stay; the names are replaced below
    options.notdef_outline = True
    # FontForge's timestamp table means nothing to a browser; the subsetter would warn on
    # every cut that it cannot subset it before dropping it anyway.
    options.drop_tables += ["FFTM"]
    font = TTFont(io.BytesIO(otf_bytes))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    _rename(font)
    font.flavor = "woff2"
    written = io.BytesIO()
    font.save(written)
    return written.getvalue()


def _subset(otf_bytes, ranges, target):
    codes = [code for start, end in ranges for code in range(start, end + 1)]
    _write_if_changed(Path(target), subset_woff2(otf_bytes, codes))


def _rename(font):
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16, 21):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (3, 6, 20):
            names.setName(
                FAMILY.replace(" ", "") + "-Regular",
                record.nameID,
                record.platformID,
                record.platEncID,
                record.langID,
            )


def _write_if_changed(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        return
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def build(output=DEFAULT_OUTPUT, wheels=None):
    """Build katex.min.js and the WOFF2 fonts under output; return the written paths."""
    output = Path(output)
    with tempfile.TemporaryDirectory() as scratch:
        wheels = wheels or download(scratch)
        with zipfile.ZipFile(wheels["sphinxcontrib_katex"]) as archive:
            katex_js = archive.read(KATEX_MEMBER)
        with zipfile.ZipFile(wheels["plothist_utils"]) as archive:
            otf = archive.read(FONT_MEMBER)
            font_license = archive.read(FONT_LICENSE_MEMBER)
        _write_if_changed(output / "katex" / "katex.min.js", katex_js)
        fonts = output / "static" / "fonts"
        _write_if_changed(fonts / "inkstone-math-LICENSE.txt", font_license)
        # Not served: what each article's own subset is cut from (articles/media/math_fonts.py).
        _write_if_changed(output / SOURCE_FONT, otf)
        stamp = output / FONT_STAMP
        # The split is part of the stamp: changing FONT_FILES rebuilds every file.
        digest = hashlib.sha256(otf + repr(sorted(FONT_FILES.items())).encode()).hexdigest()
        current = stamp.exists() and stamp.read_text() == digest
        for name, ranges in FONT_FILES.items():
            if not current or not (fonts / name).exists():
                _subset(otf, ranges, fonts / name)
        stamp.write_text(digest)
    return [
        output / "katex" / "katex.min.js",
        output / SOURCE_FONT,
        *(fonts / name for name in FONT_FILES),
    ]


def main(argv):
    default = os.environ.get("MATH_ASSETS_DIR", DEFAULT_OUTPUT)
    output = Path(argv[1] if len(argv) > 1 else default)
    for path in build(output):
        print(f"{path.relative_to(output)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv)
