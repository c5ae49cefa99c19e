"""Hostile HTML through the renderer: nothing script-capable may come out.

Checked by parsing the output with html.parser, never by regex.
"""

import pytest

from articles.rendering.pipeline import render_article
from tests.corpus import require_corpus
from tests.html_tree import parse

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "button", "textarea", "select", "option", "link", "meta", "base", "svg", "template",
    "annotation-xml", "mglyph", "malignmark", "maction", "noscript", "xmp", "noembed",
    "plaintext", "portal", "foreignobject", "use", "animate", "set", "handler", "listener",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster",
                  "cite", "srcset", "data", "codebase", "lowsrc", "dynsrc"}  # fmt: skip
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")

MUTATION_XSS = [
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">',  # noqa: E501
    '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(1) src>"></textarea>',  # noqa: E501
    '<math><annotation-xml encoding="text/html"><style><img src=x onerror=alert(1)></style></annotation-xml></math>',  # noqa: E501
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style><img src onerror=alert(1)>"></style></h1>',  # noqa: E501
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<math><mtext><table><mglyph><svg><style><img src=x onerror=alert(1)></style></svg>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<math href="javascript:alert(1)"><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<math><maction actiontype="statusline#http://x"><mtext>x</mtext></maction></math>',
    "<select><template><style><img src=x onerror=alert(1)></style></template></select>",
    '<a href="jav&#x09;ascript:alert(1)">x</a> <a href=" javascript:alert(1)">y</a>',
    "[md link](javascript:alert(1)) ![img](javascript:alert(1)) <data:text/html,x>",
    '<img src="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<iframe src="https://www.youtube.com/embed/x"></iframe><object data=x></object><embed src=x>',
    "<input type=text onfocus=alert(1) autofocus><button formaction=javascript:alert(1)>x</button>",
    '<div style="background:url(javascript:alert(1))">x</div><td style="color:red">',
    "```python\n</code></pre><script>alert(1)</script>\n```",
    "$</math><script>alert(1)</script>$ and $$<img src=x onerror=alert(1)>$$",
    "# <img src=x onerror=alert(1)>\n\n## [x](javascript:alert(1))",
]


def assert_safe(html):
    tree = parse(html)
    for element in tree.all:
        assert element.tag not in FORBIDDEN_TAGS, (element.tag, html)
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (name, html)
            assert name not in {"formaction", "xlink:href", "srcdoc", "action"}, (name, html)
            if name == "style":
                assert element.tag in ("td", "th"), html
                assert value == "" or value.replace(" ", "").startswith("text-align:"), html
            if name in URL_ATTRIBUTES:
                compact = "".join(value.split()).lower()
                if compact.startswith("data:"):
                    assert element.tag == "img" and name == "src", html
                    assert compact.startswith("data:image/") and "svg" not in compact, html
                else:
                    assert not compact.startswith(SCRIPT_SCHEMES), html
    assert not any("script" in comment.lower() for comment in tree.comments)


@pytest.mark.parametrize("payload", MUTATION_XSS)
def test_mutation_xss_cases(payload):
    assert_safe(render_article(payload).html)


def test_payload_list_renders_safely():
    path = require_corpus("security", "payloadbox-xss-payload-list.txt")
    payloads = path.read_text(encoding="utf-8", errors="replace").splitlines()
    assert len(payloads) > 6000
    for payload in payloads:
        html = render_article(payload).html
        assert_safe(html)


def test_payload_list_inside_markdown_structures():
    path = require_corpus("security", "payloadbox-xss-payload-list.txt")
    payloads = path.read_text(encoding="utf-8", errors="replace").splitlines()
    wrappers = ["> {}", "- {}", "| a |\n|---|\n| {} |", "[{}](x)", "**{}**", "$x$ {} $y$"]
    for index, payload in enumerate(payloads[::7]):
        assert_safe(render_article(wrappers[index % len(wrappers)].format(payload)).html)


def test_iframes_need_an_allowed_host(settings):
    source = '<iframe src="https://www.youtube.com/embed/x"></iframe>'
    settings.MARKDOWN_IFRAME_HOSTS = []
    # Without an allowed host, the tag is only text: what the author typed.
    shown = parse(render_article(source).html).all
    assert [element.tag for element in shown] == ["p"]
    assert shown[0].text == source
    settings.MARKDOWN_IFRAME_HOSTS = ["www.youtube.com"]
    frames = parse(render_article(source).html).all
    assert [frame.tag for frame in frames] == ["iframe"]
    assert frames[0].attrs["src"] == "https://www.youtube.com/embed/x"
    assert "sandbox" in frames[0].attrs
    evil = '<iframe src="https://evil.example/x"></iframe><iframe src="http://www.youtube.com/x">'
    assert all("src" not in frame.attrs for frame in parse(render_article(evil).html).all)


def test_raster_data_images_are_kept():
    html = render_article('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">').html
    assert parse(html).all[0].attrs["src"].startswith("data:image/png")


IMAGE_SOURCES = (
    "![remote](http://elsewhere.example/a.png) <img src='https://elsewhere.example/b.png'> "
    "<img src='//elsewhere.example/c.png'> ![own](https://blog.example/media/d.png) "
    "![relative](/media/e.png)"
)


def image_sources(html):
    return [element.attrs.get("src") for element in parse(html).all if element.tag == "img"]


def test_only_https_images_from_other_sites_are_kept(settings):
    # The CSP admits remote images over https only (img-src 'self' data: https:);
    # anything else would be a blocked request and a CSP report on the page.
    settings.SITE_URL = "https://blog.example"
    settings.REMOTE_IMAGES = True
    html = render_article(IMAGE_SOURCES).html
    assert image_sources(html) == [
        None,
        "https://elsewhere.example/b.png",
        None,
        "https://blog.example/media/d.png",
        "/media/e.png",
    ]
    assert 'alt="remote"' in html


def test_remote_images_can_be_switched_off(settings):
    settings.SITE_URL = "https://blog.example"
    settings.REMOTE_IMAGES = False
    assert image_sources(render_article(IMAGE_SOURCES).html) == [
        None,
        None,
        None,
        "https://blog.example/media/d.png",
        "/media/e.png",
    ]


def test_sanitizer_keeps_mathml():
    html = render_article("<math><mfrac><mi>a</mi><mi>b</mi></mfrac></math> $c$").html
    assert [element.tag for element in parse(html).all].count("mfrac") == 1


def test_forms_and_classes_from_raw_html_are_removed():
    html = render_article(
        '<form action="/x"><input type="password" name="p"></form><p class="fixed-top">x</p>'
    ).html
    tree = parse(html)
    assert "form" not in [element.tag for element in tree.all]
    for element in tree.all:
        if element.tag == "input":
            assert element.attrs["type"] == "checkbox" and "disabled" in element.attrs
        assert element.attrs.get("class") != "fixed-top"
