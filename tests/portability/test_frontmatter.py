import datetime

import pytest

from articles.portability.frontmatter import FrontMatterError, decode, read_markdown


def test_yaml_front_matter_and_body_line():
    document = read_markdown("---\ntitle: Hello\ntags: [a, b]\n---\n# Body\n")
    assert document.kind == "yaml"
    assert document.meta == {"title": "Hello", "tags": ["a", "b"]}
    assert document.body == "# Body\n"
    assert document.body_line == 5
    assert document.line_of("tags") == 3


def test_toml_front_matter_keeps_native_dates():
    document = read_markdown('+++\ntitle = "Hugo post"\ndate = 2023-11-03T10:00:00Z\n+++\nText\n')
    assert document.kind == "toml"
    assert document.meta["title"] == "Hugo post"
    assert document.meta["date"] == datetime.datetime(2023, 11, 3, 10, tzinfo=datetime.UTC)
    assert document.body == "Text\n"


@pytest.mark.parametrize(
    "text",
    [
        ';;;\n"title": "Hexo JSON",\n"tags": ["x"]\n;;;\nText\n',
        '"title": "Hexo JSON",\n"tags": ["x"]\n;;;\nText\n',
        '{\n  "title": "Hexo JSON",\n  "tags": ["x"]\n}\nText\n',
    ],
    ids=["hexo-separators", "hexo-closing-only", "json-object"],
)
def test_json_front_matter_styles(text):
    document = read_markdown(text)
    assert document.kind == "json"
    assert document.meta == {"title": "Hexo JSON", "tags": ["x"]}
    assert document.body == "Text\n"


@pytest.mark.parametrize("opening", ["---\ntitle: BOM\n---\n", '+++\ntitle = "BOM"\n+++\n'])
def test_byte_order_mark_and_crlf_are_accepted(opening):
    data = ("\ufeff" + opening + "Body\n").replace("\n", "\r\n").encode("utf-8")
    document = read_markdown(data)
    assert document.meta == {"title": "BOM"}
    assert document.body == "Body\n"


def test_no_front_matter_gives_the_whole_text():
    document = read_markdown(b"# Just Markdown\n")
    assert document.meta == {}
    assert document.kind is None
    assert document.body == "# Just Markdown\n"


def test_bad_yaml_names_its_line():
    with pytest.raises(FrontMatterError) as caught:
        read_markdown("---\ntitle: ok\ntags: [a, b\ndate: 2023-01-01\n---\nBody\n")
    assert "YAML" in caught.value.message
    assert caught.value.line in (4, 5)


def test_bad_toml_names_its_line():
    with pytest.raises(FrontMatterError) as caught:
        read_markdown('+++\ntitle = "ok"\n\ndate = = 3\n+++\n')
    assert caught.value.line == 4


def test_bad_json_names_its_line():
    with pytest.raises(FrontMatterError) as caught:
        read_markdown('{\n  "title": "x",\n  "tags": [1,\n}\nBody')
    assert caught.value.line == 4


def test_unclosed_front_matter():
    with pytest.raises(FrontMatterError, match="never closed"):
        read_markdown("---\ntitle: x\nno end\n")


def test_front_matter_must_be_a_mapping():
    with pytest.raises(FrontMatterError, match="mapping"):
        read_markdown("---\n- a\n- b\n---\n")


def test_non_utf8_names_the_line_of_the_bad_byte():
    data = b"---\ntitle: x\n---\nline four\n" + "caf\xe9\n".encode("latin-1")
    with pytest.raises(FrontMatterError) as caught:
        decode(data)
    assert caught.value.line == 5
    assert "UTF-8" in caught.value.message
