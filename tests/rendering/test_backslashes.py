"""A backslash escapes only ASCII punctuation; before anything else it is a character."""

from articles.rendering.pipeline import render_article
from tests.html_tree import parse


def test_backslash_before_two_trailing_spaces_still_breaks_the_line():
    html = render_article("a\\  \nb").html
    assert html == "<p>a\\<br>\nb</p>\n"


def test_backslash_space_ends_a_link_destination():
    links = [el for el in parse(render_article("[a](/url\\ )").html).all if el.tag == "a"]
    assert [(el.attrs["href"], el.text) for el in links] == [("/url%5C", "a")]


def test_escapes_still_work():
    assert (
        render_article("\\*not emphasis\\* and a\\\\b").html == "<p>*not emphasis* and a\\b</p>\n"
    )
    assert render_article("a\\\nb").html == "<p>a<br>\nb</p>\n"
