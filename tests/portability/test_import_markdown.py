import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image
from taggit.models import Tag

from articles.models import Article, Category
from articles.portability.entries import category_path
from articles.rendering.pipeline import render_article
from tests.corpus import dev_articles, require_corpus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def run(*args):
    """Run import_markdown; return (stdout, stderr, error or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_markdown", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def png(path, colour="red"):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (4, 4), colour).save(path, "PNG")
    return path


def formulas(html):
    return html.count("<math") + html.count('class="math-error"')


# The dev corpus -----------------------------------------------------------------------------


def test_dev_corpus_imports_without_errors():
    folder = require_corpus("dev")
    out, err, error = run(folder)
    assert error is None, err
    assert "error:" not in err
    articles = dev_articles()
    assert len(articles) == 40
    assert Article.objects.count() == 40
    assert "created        40" in out
    tags = {str(tag) for _, meta, _ in articles for tag in meta.get("tags") or []}
    assert set(Tag.objects.values_list("name", flat=True)) == tags
    paths = {tuple(meta["categories"]) for _, meta, _ in articles if meta.get("categories")}
    prefixes = {path[: i + 1] for path in paths for i in range(len(path))}
    assert Category.objects.count() == len(prefixes)
    for article in Article.objects.select_related("category"):
        assert tuple(category_path(article.category)) in paths
    # Every referenced image that exists was copied; the missing ones are warnings.
    missing = re.findall(r"^warning: (.+?):(\d+): image not found: (\S+)$", err, re.MULTILINE)
    assert missing
    for path, line, image in missing:
        source = Path(path).read_text(encoding="utf-8").split("\n")
        assert image in source[int(line) - 1]
    adam = Article.objects.get(title="Adam算法")
    assert adam.language == "zh-hans"
    assert adam.published_at == datetime(2022, 11, 23, 18, 19, 58, tzinfo=UTC)
    assert adam.author.groups.filter(name="Authors").exists() and adam.author.is_staff
    assert not adam.body.startswith("# Adam")
    assert ":label:" not in adam.body and ":numref:" not in adam.body
    assert "{.python" not in "".join(Article.objects.values_list("body", flat=True))


def test_dev_corpus_keeps_every_formula_and_code_block():
    folder = require_corpus("dev")
    _, err, error = run(folder, "--d2l-tab", "all")
    assert error is None, err
    stored = {article.title: article for article in Article.objects.all()}
    displays = 0
    for _, meta, body in dev_articles():
        article = stored[meta["title"]]
        source_html = render_article(body, language=article.language).html
        # A d2lbook figure label makes a numbered figure whose caption repeats
        # the alt text's formulas; the source rendered as-is has no caption.
        body_html = re.sub(r"<figcaption>.*?</figcaption>", "", article.body_html, flags=re.S)
        assert formulas(body_html) == formulas(source_html), meta["title"]
        fences = len(re.findall(r"^```\S", body, re.MULTILINE)) - body.count("```toc")
        assert article.body_html.count('class="highlight"') == fences, meta["title"]
        displays += article.body_html.count('display="block"')
    # The corpus README counts 211 display formulas.
    assert displays == 211


def test_reimporting_the_corpus_changes_nothing(media_root):
    folder = require_corpus("dev")
    run(folder)
    first = dict(Article.objects.values_list("source_key", "pk"))
    files = sorted(p for p in media_root.rglob("*") if p.is_file())
    out, _, error = run(folder)
    assert error is None
    assert "unchanged      40" in out
    assert dict(Article.objects.values_list("source_key", "pk")) == first
    assert sorted(p for p in media_root.rglob("*") if p.is_file()) == files


# Front-matter mapping -------------------------------------------------------------------------


def test_hugo_toml_mapping(tmp_path):
    write(
        tmp_path,
        "posts/hello.md",
        '+++\ntitle = "Hello Hugo"\ndate = 2023-11-03T10:00:00+08:00\n'
        'lastmod = 2023-12-01T00:00:00Z\ntags = ["go", "hugo"]\ncategories = ["Web", "Static"]\n'
        'slug = "hello-hugo"\ndraft = true\nsummary = "Short."\nlang = "zh_CN"\n'
        'authors = ["Mia Chen"]\n+++\nBody text.\n',
    )
    _, err, error = run(tmp_path)
    assert error is None, err
    article = Article.objects.get()
    assert article.title == "Hello Hugo"
    assert article.slug == "hello-hugo"
    assert article.source_key == "slug:hello-hugo"
    assert article.published_at == datetime(2023, 11, 3, 2, tzinfo=UTC)
    assert article.content_updated_at == datetime(2023, 12, 1, tzinfo=UTC)
    assert sorted(article.tags.names()) == ["go", "hugo"]
    assert category_path(article.category) == ["Web", "Static"]
    assert article.status == Article.Status.DRAFT
    assert article.summary == "Short."
    assert article.language == "zh-hans"
    assert article.author.username == "mia-chen"
    assert article.author.get_full_name() == "Mia Chen"
    assert article.body == "Body text."


def test_hexo_json_mapping_with_nested_categories(tmp_path):
    write(
        tmp_path,
        "source/_posts/notes.md",
        '"title": "Hexo notes",\n"date": "2013/7/13 20:46:25",\n"tags": "hexo, blog",\n'
        '"categories": [["Diary", "Games"], ["Life"]],\n"abbrlink": "a1b2c3",\n'
        '"published": false,\n"excerpt": "From Hexo."\n;;;\nText <!-- more --> rest\n',
    )
    _, err, error = run(tmp_path)
    assert error is None, err
    article = Article.objects.get()
    assert article.slug == "a1b2c3"
    assert article.published_at.year == 2013 and article.published_at.hour == 20
    assert sorted(article.tags.names()) == ["blog", "hexo"]
    assert category_path(article.category) == ["Diary", "Games"]
    assert "one category" in err
    assert article.status == Article.Status.DRAFT
    assert article.summary == "From Hexo."


def test_jekyll_fallbacks_date_from_name_and_title_from_heading(tmp_path):
    write(tmp_path, "_posts/2023-11-03-first-steps.md", "# First *steps*\n\nHello.\n")
    write(tmp_path, "_posts/no-heading.markdown", "---\npermalink: /blog/other-post.html\n---\nx\n")
    _, err, error = run(tmp_path)
    assert error is None, err
    first = Article.objects.get(source_key="path:_posts/2023-11-03-first-steps.md")
    assert first.title == "First *steps*"
    assert first.body == "Hello."
    assert first.published_at.date().isoformat() == "2023-11-03"
    other = Article.objects.get(slug="other-post")
    assert other.title == "no heading"
    assert other.published_at is not None  # from the file's modification time


@pytest.mark.parametrize(
    ("given", "expected"),
    [("zh", "zh-hans"), ("zh-CN", "zh-hans"), ("zh-Hans", "zh-hans"), ("en-US", "en")],
)
def test_language_codes_are_mapped(tmp_path, given, expected):
    write(tmp_path, "a.md", f"---\ntitle: T\nlang: {given}\n---\nx\n")
    run(tmp_path)
    assert Article.objects.get().language == expected


def test_options_override_status_author_and_category(tmp_path):
    owner = UserFactory(username="owner", role="Authors")
    write(tmp_path, "a.md", "---\ntitle: A\nauthor: Someone Else\ncategories: [X]\n---\nx\n")
    _, err, error = run(
        tmp_path, "--status", "draft", "--author", "owner", "--category", "Imported/Old"
    )
    assert error is None, err
    article = Article.objects.get()
    assert article.status == "draft"
    assert article.author == owner
    assert category_path(article.category) == ["Imported", "Old"]
    assert not get_user_model().objects.filter(username="someone-else").exists()


def test_unknown_author_option_fails():
    with pytest.raises(CommandError, match="No user named"):
        call_command("import_markdown", "/nonexistent", "--author", "ghost", stdout=io.StringIO())


def test_dry_run_saves_nothing_but_reports(tmp_path, media_root):
    write(tmp_path, "a.md", "---\ntitle: A\n---\n![i](i.png)\n")
    png(tmp_path / "i.png")
    out, _, error = run(tmp_path, "--dry-run")
    assert error is None
    assert "Dry run" in out and "created         1" in out
    assert Article.objects.count() == 0
    assert get_user_model().objects.count() == 0
    assert not media_root.exists()


# Idempotence ----------------------------------------------------------------------------------


def test_reimport_updates_in_place(tmp_path):
    path = write(tmp_path, "post.md", "---\ntitle: One\ntags: [a]\n---\nFirst.\n")
    run(tmp_path)
    article = Article.objects.get()
    out, _, _ = run(tmp_path)
    assert "unchanged       1" in out
    path.write_text("---\ntitle: One, edited\ntags: [b]\n---\nSecond.\n", encoding="utf-8")
    out, _, _ = run(tmp_path)
    assert "updated         1" in out
    article.refresh_from_db()
    assert (article.title, article.body) == ("One, edited", "Second.")
    assert list(article.tags.names()) == ["b"]
    assert Article.objects.count() == 1


def test_two_files_with_one_slug_do_not_overwrite_each_other(tmp_path):
    write(tmp_path, "a.md", "---\ntitle: A\nslug: same\n---\nx\n")
    write(tmp_path, "b.md", "---\ntitle: B\nslug: same\n---\ny\n")
    _, err, error = run(tmp_path)
    assert error is not None
    assert "b.md: same slug or path as" in err
    assert Article.objects.get().title == "A"


def test_slug_taken_by_another_article_gets_a_suffix(tmp_path):
    from tests.factories import ArticleFactory

    ArticleFactory(slug="taken")
    write(tmp_path, "a.md", "---\ntitle: A\nslug: taken\n---\nx\n")
    _, err, error = run(tmp_path)
    assert error is None
    assert Article.objects.get(source_key="slug:taken").slug == "taken-2"
    assert "taken-2" in err


# Broken files ---------------------------------------------------------------------------------


def test_broken_files_are_reported_and_the_rest_imports(tmp_path):
    write(tmp_path, "good.md", "---\ntitle: Good\n---\nFine.\n")
    write(tmp_path, "bad-yaml.md", "---\ntitle: Bad\ntags: [a, b\n---\nx\n")
    write(tmp_path, "bad-date.md", "---\ntitle: Bad date\n\ndate: 2023-13-45\n---\nx\n")
    (tmp_path / "latin1.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    out, err, error = run(tmp_path)
    assert error is not None and "3 item(s)" in str(error)
    assert re.search(r"bad-yaml\.md:[34]: bad YAML front matter", err)
    assert re.search(r"bad-date\.md:4: bad date: not a date: '2023-13-45'", err)
    assert re.search(r"latin1\.md:2: not valid UTF-8", err)
    assert "failed          3" in out and "created         1" in out
    assert list(Article.objects.values_list("title", flat=True)) == ["Good"]


def test_missing_path_fails():
    _, err, error = run("/nonexistent/folder")
    assert error is not None
    assert "no such file or folder" in err


def test_progress_bar_on_request(tmp_path):
    for number in range(3):
        write(tmp_path, f"{number}.md", f"# Post {number}\n")
    _, err, _ = run(tmp_path, "--progress")
    assert "3/3" in err and "[####" in err
    _, err, _ = run(tmp_path)
    assert "3/3" not in err


# Images ---------------------------------------------------------------------------------------


def test_relative_images_are_copied_and_rewritten(tmp_path, media_root, settings):
    png(tmp_path / "img" / "a.png")
    png(tmp_path / "posts" / "my-post" / "b.png", "blue")
    (tmp_path / "img" / "safe.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "img" / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    )
    write(
        tmp_path,
        "posts/my-post.md",
        "---\ntitle: Pictures\n---\n"
        '![a](../img/a.png)\n\n![again](../img/a.png "same file")\n\n'
        '<img src="../img/safe.svg" alt="s">\n\n{% asset_img b.png Blue %}\n\n'
        "![gone](../img/missing.png)\n\n![evil](../img/evil.svg)\n\n"
        "![remote](https://example.com/x.png)\n\n```md\n![code](../img/a.png)\n```\n",
    )
    _, err, error = run(tmp_path)
    assert error is None, err
    body = Article.objects.get().body
    stored = sorted(p.relative_to(media_root).as_posix() for p in media_root.rglob("*.*"))
    assert len(stored) == 3  # a.png once, safe.svg, b.png
    assert all(name.startswith("imports/") for name in stored)
    for name in stored:
        assert f"{settings.MEDIA_URL}{name}" in body
    assert body.count(settings.MEDIA_URL) == 4
    assert "![gone](../img/missing.png)" in body
    assert "https://example.com/x.png" in body
    assert "```md\n![code](../img/a.png)\n```" in body
    assert re.search(r"my-post\.md:12: image not found: \.\./img/missing\.png", err)
    assert re.search(r"my-post\.md:14: image \.\./img/evil\.svg: SVG with script", err)
