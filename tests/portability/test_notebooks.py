"""import_notebook: a Jupyter notebook becomes an article, and re-importing updates it."""

import base64
import json
from io import BytesIO, StringIO

import nbformat
import pytest
from django.core.management import CommandError, call_command
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
    new_raw_cell,
)
from PIL import Image

from articles.models import Article
from tests.html_tree import find_all

TRACEBACK = [
    "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
    "\x1b[0;31mZeroDivisionError\x1b[0m                         Traceback (most recent call last)",
    "Cell \x1b[0;32mIn[2], line 1\x1b[0m\n"
    "\x1b[0;32m----> 1\x1b[0m \x1b[38;5;241m1\x1b[39m/\x1b[38;5;241m0\x1b[39m",
    "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero",
]


def png_bytes(colour="red"):
    buffer = BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def notebook(*, title="Training a model", extra_cells=()):
    png = base64.b64encode(png_bytes()).decode()
    cells = [
        new_raw_cell("---\ntags: [notebooks, pytorch]\nslug: training-a-model\n---"),
        new_markdown_cell("# Training a model\n\nThe loss is $L = \\frac{1}{n}\\sum_i \\ell_i$."),
        new_code_cell(
            "print('hello')\nx = 1",
            outputs=[new_output("stream", name="stdout", text="hello\n")],
        ),
        new_code_cell(
            "plot()",
            outputs=[new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})],
        ),
        new_code_cell(
            "df",
            outputs=[
                new_output(
                    "execute_result",
                    data={
                        "text/html": "<style scoped>td {color: red}</style>\n"
                        '<table class="dataframe" onclick="x()">'
                        "\n\n<tr><td>1</td></tr></table><script>alert(1)</script>",
                        "text/plain": "   a\n0  1",
                    },
                    execution_count=3,
                )
            ],
        ),
        new_code_cell(
            "1/0",
            outputs=[
                new_output(
                    "error",
                    ename="ZeroDivisionError",
                    evalue="division by zero",
                    traceback=TRACEBACK,
                )
            ],
        ),
        *extra_cells,
    ]
    book = new_notebook(cells=cells)
    book.metadata["title"] = title
    book.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    return book


def write(tmp_path, book, name="train.ipynb"):
    path = tmp_path / name
    path.write_text(nbformat.writes(book), encoding="utf-8")
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_notebook", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_notebook_becomes_an_article_with_code_outputs_images_and_errors(tmp_path, media):
    out, err, error = run(write(tmp_path, notebook()))
    assert error is None, err
    assert "train.ipynb: created" in out
    article = Article.objects.get()
    assert article.title == "Training a model"
    assert article.slug == "training-a-model"
    assert sorted(article.tags.names()) == ["notebooks", "pytorch"]
    html = article.body_html
    assert len(find_all(html, "math")) == 1  # math kept
    codes = [
        code for code in find_all(html, "code") if code.attrs.get("class") == "language-python"
    ]
    assert [code.full_text for code in codes][:2] == ["print('hello')\nx = 1\n", "plot()\n"]
    assert "hello\n" in [code.full_text for code in find_all(html, "code")]  # stream output
    images = find_all(html, "img")
    # Stored under imports/, served as resized variants (docs/media.md).
    assert len(images) == 1
    assert images[0].attrs["src"].startswith(("/media/imports/", "/media/variants/"))
    assert len(list((media / "imports").rglob("*.png"))) == 1
    assert find_all(html, "table") and find_all(html, "script") == []
    assert "onclick" not in html and "color: red" not in html
    titles = [caption.full_text for caption in find_all(html, "figcaption")]
    assert "ZeroDivisionError: division by zero" in titles
    traceback = next(f.full_text for f in find_all(html, "code") if "Traceback" in f.full_text)
    assert "\x1b" not in traceback and "----> 1 1/0" in traceback


@pytest.mark.django_db
def test_reimport_updates_instead_of_duplicating(tmp_path):
    path = write(tmp_path, notebook())
    assert run(path)[2] is None
    first = Article.objects.get()
    write(tmp_path, notebook(extra_cells=[new_markdown_cell("A new closing remark.")]))
    out, err, error = run(path)
    assert error is None, err
    assert "updated" in out
    assert Article.objects.count() == 1
    assert "A new closing remark." in Article.objects.get(pk=first.pk).body


@pytest.mark.django_db
def test_metadata_gives_front_matter_without_a_raw_cell(tmp_path):
    book = notebook()
    book.cells = book.cells[1:]
    book.metadata["tags"] = ["from-metadata"]
    assert run(write(tmp_path, book, "meta.ipynb"))[2] is None
    article = Article.objects.get()
    assert list(article.tags.names()) == ["from-metadata"]
    assert article.title == "Training a model"


@pytest.mark.django_db
def test_not_json_names_the_file(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{ not json", encoding="utf-8")
    _, err, error = run(path)
    assert error is not None
    assert "broken.ipynb" in err and "not a Jupyter notebook" in err
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_invalid_cell_names_the_cell_and_imports_nothing(tmp_path, media):
    data = json.loads(nbformat.writes(notebook()))
    data["cells"][3]["outputs"][0]["output_type"] = "hologram"
    path = tmp_path / "bad-cell.ipynb"
    path.write_text(json.dumps(data), encoding="utf-8")
    _, err, error = run(path)
    assert error is not None
    assert "bad-cell.ipynb in cell 4" in err
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_bad_image_names_the_cell_and_stores_nothing(tmp_path, media):
    broken = new_code_cell(
        "x", outputs=[new_output("display_data", data={"image/png": "bm90IGFuIGltYWdl"})]
    )
    path = write(tmp_path, notebook(extra_cells=[broken]), "bad-image.ipynb")
    _, err, error = run(path)
    assert error is not None
    assert "bad-image.ipynb, cell 7" in err and "not a readable image" in err
    assert Article.objects.count() == 0
    assert not (media / "imports").exists()  # the good image before it was not stored either
