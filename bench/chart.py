"""Draw the benchmark's requests per second as a bar chart PNG with Pillow (no matplotlib)."""

from PIL import Image, ImageDraw, ImageFont

COLOURS = {"warm": (46, 125, 50), "off": (239, 108, 0), "bare": (183, 28, 28)}
REFERENCE = (120, 120, 120)
ROW, BAR, LEFT, RIGHT, TOP = 34, 12, 120, 40, 50


def draw(results, path):
    """Write a horizontal bar chart of req/s per page and cache mode; return the path."""
    modes = list(results["modes"])
    pages = list(next(iter(results["modes"].values()))["pages"])
    peak = max(row["rps"] for data in results["modes"].values() for row in data["pages"].values())
    width, height = 900, TOP + ROW * len(pages) + 40
    image = Image.new("RGB", (width, height), "white")
    pen = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    pen.text(
        (10, 10),
        f"Inkstone, {results['articles']} articles: requests/s at {results['connections']} "
        f"connections ({', '.join(f'{m}' for m in modes)}; grey = references)",
        fill="black",
        font=font,
    )
    scale = (width - LEFT - RIGHT - 60) / peak
    for index, page in enumerate(pages):
        y = TOP + index * ROW
        pen.text((10, y + 6), page, fill="black", font=font)
        for offset, mode in enumerate(modes):
            row = results["modes"][mode]["pages"][page]
            colour = REFERENCE if page in ("floor", "limit") else COLOURS.get(mode, (30, 90, 200))
            top = y + offset * (BAR + 2)
            pen.rectangle((LEFT, top, LEFT + max(1, row["rps"] * scale), top + BAR), fill=colour)
            pen.text(
                (LEFT + row["rps"] * scale + 4, top), f"{row['rps']:.0f} ({mode})", fill="black"
            )
    image.save(path)
    return path
