"""Helpers shared by the browser tests: logging in, measuring the page, screenshots."""

from io import BytesIO
from pathlib import Path

from django.test import Client
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
PASSWORD = "correct horse battery"  # what tests.factories.UserFactory sets
MOBILE = {"width": 375, "height": 812}


def shoot(page, name):
    """Save a full-page screenshot as a test artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def log_in(context, live_server, user):
    """Give the browser context a logged-in session for user, skipping the login form."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def log_in_with_form(page, username, password=PASSWORD):
    """Log in through the admin's login page, as a person would."""
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url("**/admin/")


def boxes(locator):
    """Return the (width, height) of every element the locator matches."""
    return locator.evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
    )


def colour(locator):
    return locator.evaluate("e => getComputedStyle(e).color")


def background(locator):
    return locator.evaluate("e => getComputedStyle(e).backgroundColor")


def assert_math_has_size(scope):
    """Every MathML element under scope is laid out with a non-zero box."""
    sizes = boxes(scope.locator("math"))
    assert sizes, "no <math> element rendered"
    assert all(width > 0 and height > 0 for width, height in sizes), sizes


def assert_code_is_coloured(scope):
    """Pygments' token spans get colours that differ from the block's plain text."""
    block = scope.locator("pre.highlight").first
    plain = colour(block)
    token_colours = {colour(span) for span in block.locator("span[class]").all()[:40]}
    assert token_colours - {plain}, f"code tokens all share the text colour {plain}"


def assert_no_horizontal_scroll(page):
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"page is {width}px wide in a {viewport}px viewport"


def png_bytes(width=120, height=80):
    """Return a small PNG, a real image the upload view accepts."""
    buffer = BytesIO()
    Image.new("RGB", (width, height), (200, 60, 40)).save(buffer, format="PNG")
    return buffer.getvalue()
