"""A site whose every reader-visible field holds XSS payloads, for tests/browser/test_xss.py.

The payloads come from the shared corpus at test time; nothing of the list is
stored in the repository. `build_hostile_site()` writes the rows, and returns
what it put where so the tests can visit each surface and report counts.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from io import StringIO

import yaml
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Category
from tests.corpus import require_corpus
from tests.factories import UserFactory

PAYLOAD_FILE = ("security", "payloadbox-xss-payload-list.txt")
BODY_BATCH = 400
TITLE_CHARS = 200  # Article.title
SUMMARY_CHARS = 1000  # Article.summary
NAME_CHARS = 100  # taggit Tag.name and Category.name
PERSON_CHARS = 150  # User.first_name and User.last_name
TITLE_ARTICLES = 30
TAGS = 120
TAGS_PER_ARTICLE = 8
CATEGORIES = 10
AUTHORS = 5
DESCRIPTION_CHARS = 1500

# A few classics of our own, so every field is still tested without the corpus.
CLASSICS = [
    "<script>alert('classic')</script>",
    '"><img src=x onerror=alert(1)>',
    "'\"><svg/onload=confirm(1)>",
    "</title><script>prompt(1)</script>",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
]


def load_payloads():
    """Return the corpus payload lines (skipping the test when the corpus is absent)."""
    path = require_corpus(*PAYLOAD_FILE)
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line for line in lines if line.strip()]


def pack(payloads, limit):
    """Yield groups of whole payloads that, joined by spaces, fit in limit characters."""
    group, size = [], -1
    for payload in payloads:
        if len(payload) > limit:
            continue
        if size + 1 + len(payload) > limit:
            yield group
            group, size = [], -1
        group.append(payload)
        size += 1 + len(payload)
    if group:
        yield group


def distinct_names(payloads, limit, count):
    """Return up to count payloads that fit in limit, distinct ignoring case (taggit's rule)."""
    names, seen = [], set()
    for payload in payloads:
        name = payload.strip()
        if 0 < len(name) <= limit and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
            if len(names) == count:
                break
    return names


def spread(payloads, count, offset=0):
    """Return a sample of payloads spread over the whole list, starting at offset."""
    step = max(1, len(payloads) // max(count, 1))
    return payloads[offset::step]


def in_constructs(payloads, start):
    """Return Markdown that puts each payload in one construct, cycling through them."""
    blocks, rows, notes = [], [], []
    for number, payload in enumerate(payloads, start=start):
        kind = number % 11
        if kind == 0:
            blocks.append(f"[link {number}]({payload})")
        elif kind == 1:
            blocks.append(f"![{payload}]({payload})")
        elif kind == 2:
            blocks.append(f"Code `{payload}` span.")
        elif kind == 3:
            blocks.append(f"Math ${payload}$ inline.")
        elif kind == 4:
            blocks.append(f"$$\n{payload}\n$$")
        elif kind == 5:
            blocks.append(f"## {payload}")
        elif kind == 6:
            rows.append(f"| {payload} | cell {number} |")
        elif kind == 7:
            blocks.append(f"Note[^n{number}].")
            notes.append(f"[^n{number}]: {payload}")
        elif kind == 8:
            blocks.append(f"> - {payload}")
        elif kind == 9:
            blocks.append(f"```{payload}\n{payload}\n```")
        else:
            blocks.append(f"[reference {number}][r{number}]\n\n[r{number}]: {payload}")
    table = ["| Payload | Where |", "| --- | --- |", *rows] if rows else []
    return "\n\n".join([*blocks, "\n".join(table), *notes])


@dataclass
class HostileSite:
    """What build_hostile_site() wrote: article slugs, tag slugs and payload counts."""

    body_articles: list = field(default_factory=list)
    title_articles: list = field(default_factory=list)
    imported: str = ""
    tag_slugs: list = field(default_factory=list)
    category_slugs: list = field(default_factory=list)
    usernames: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)


def build_hostile_site(payloads, tmp_dir):
    """Write hostile articles, tags, categories, authors and an import; return a HostileSite."""
    site = HostileSite()
    now = timezone.now()
    short = [payload for payload in payloads if len(payload) <= TITLE_CHARS]

    authors = [
        UserFactory(
            username=f"hostile{index}",
            first_name=first[:PERSON_CHARS],
            last_name=last[:PERSON_CHARS],
        )
        for index, (first, last) in enumerate(
            zip(spread(short, AUTHORS, 1), spread(short, AUTHORS, 2), strict=False)
        )
    ][:AUTHORS]
    site.usernames = [user.username for user in authors]

    tag_names = distinct_names(spread(payloads, TAGS * 2, 3), NAME_CHARS, TAGS)
    categories = []
    names = distinct_names(spread(payloads, CATEGORIES * 3, 4), NAME_CHARS, CATEGORIES)
    descriptions = [
        " ".join(group) for group in pack(spread(payloads, CATEGORIES * 40, 5), DESCRIPTION_CHARS)
    ]
    for index, name in enumerate(names):
        # Every third category nests under the one before, so breadcrumbs and trees show names.
        parent = categories[-1] if index % 3 == 2 else None
        category = Category.objects.create(
            name=name, description=descriptions[index % len(descriptions)], parent=parent
        )
        categories.append(category)
    site.category_slugs = [category.slug for category in categories]

    def publish(number, **fields):
        article = Article.objects.create(
            author=authors[number % len(authors)],
            category=categories[number % len(categories)],
            status=Article.Status.PUBLISHED,
            # About three weeks apart, so the archives span several months.
            published_at=now - timedelta(days=1 + 20 * number),
            language="en",
            **fields,
        )
        first = (number * TAGS_PER_ARTICLE) % len(tag_names)
        article.tags.set((tag_names * 2)[first : first + TAGS_PER_ARTICLE])
        return article

    # The whole list in the body, one payload per paragraph, then again in Markdown constructs.
    batches = [
        payloads[start : start + BODY_BATCH] for start in range(0, len(payloads), BODY_BATCH)
    ]
    for number, batch in enumerate(batches):
        start = number * BODY_BATCH
        body = "\n\n".join(batch) + "\n\n" + in_constructs(batch, start)
        article = publish(number, title=f"Payload batch {number + 1}", body=body)
        site.body_articles.append(article.slug)

    titles = list(pack(spread(short, TITLE_ARTICLES * 5, 6), TITLE_CHARS))[:TITLE_ARTICLES]
    summaries = list(pack(spread(payloads, TITLE_ARTICLES * 20, 7), SUMMARY_CHARS))
    summaries = summaries[: len(titles)]
    for index, title in enumerate(titles):
        article = publish(
            len(batches) + index,
            title=" ".join(title),
            summary=" ".join(summaries[index % len(summaries)]),
            body=CLASSICS[index % len(CLASSICS)] + "\n\nSome plain words to search for.",
        )
        site.title_articles.append(article.slug)

    site.imported, imported_payloads = import_hostile_file(tmp_dir, short)

    tags = {tag.name: tag.slug for tag in Article.tags.through.tag_model().objects.all()}
    site.tag_slugs = list(tags.values())
    site.counts = {
        "body payloads": len(payloads),
        "body articles": len(batches),
        "title payloads": sum(map(len, titles)),
        "title articles": len(titles),
        "summary payloads": sum(map(len, summaries)),
        "tags": len(tags),
        "categories": len(categories),
        "author name payloads": 2 * len(authors),
        "front matter payloads": imported_payloads,
    }
    return site


def import_hostile_file(tmp_dir, short):
    """Import a Markdown file whose front matter is hostile; return its slug and payload count."""
    sample = spread(short, 12, 8)
    meta = {
        "title": sample[0],
        "description": " ".join(sample[1:4]),
        "tags": [name[:NAME_CHARS] for name in sample[4:7]],
        "categories": [sample[7][:NAME_CHARS], sample[8][:NAME_CHARS]],
        "author": sample[9][:PERSON_CHARS],
        "date": "2024-03-05",
    }
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path = tmp_dir / "hostile-import.md"
    path.write_text(f"---\n{header}---\n\n" + "\n\n".join(sample[10:]) + "\n", encoding="utf-8")
    call_command("import_markdown", str(path), stdout=StringIO(), stderr=StringIO())
    return Article.objects.filter(title=sample[0]).latest("pk").slug, len(sample)
