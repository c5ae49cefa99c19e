"""Test pictures: a photo with GPS EXIF and a rotation flag, made with Pillow."""

from io import BytesIO

from PIL import Image, ImageDraw

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(size=(2000, 1500), fmt="JPEG", rotated=True, gps=True):
    """Return image bytes: a gradient with shapes, EXIF GPS and 'rotate 90° to view' set."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    width, height = size
    for x in range(0, width, 40):
        draw.line((x, 0, x, height), fill=(x * 255 // width, 90, 160), width=20)
    draw.rectangle((0, 0, width // 4, height // 4), fill="red")  # marks the top-left corner
    exif = Image.Exif()
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    if rotated:
        exif[ORIENTATION] = 6
    out = BytesIO()
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def has_gps(data):
    with Image.open(BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(GPS_IFD))


def opened(data):
    image = Image.open(BytesIO(data))
    image.load()
    return image
