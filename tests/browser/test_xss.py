"""Hostile input never runs in a reader's browser (docs/security.md).

Every field that reaches a page or a feed holds payloads from the shared XSS
list (tests/browser/hostile.py builds the site). Headless Chromium loads every
public surface twice: as served, where the page must raise no CSP violation,
and with CSP bypassed, which proves the sanitizer and the escaping stop the
payloads by themselves. tests/browser/watch.py describes the detector; the
tests at the top prove it fires.
"""

import json
import math
from urllib.parse import quote, urlencode
from xml.etree import ElementTree

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core import serializers
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from articles.admin.revisions import recorded, versions_of
from articles.models import Article, Category, SearchEntry, SlugRedirect, TaggedArticle
from tests import html_tree
from tests.browser import tools
from tests.browser.conftest import DESKTOP, ensure_roles
from tests.browser.hostile import CLASSICS, build_hostile_site, load_payloads, spread
from tests.browser.urls import PROBES
from tests.browser.watch import Watch, report
from tests.factories import ArticleFactory

SEARCH_SAMPLE = 40
TAG_PAGES = 12
# Words the hostile articles contain, so results pages show their titles and snippets.
SEARCH_WORDS = ["alert", "onerror", "script", "prompt", "plain words"]
SCRIPT_URL_SCHEMES = ("javascript:", "vbscript:", "livescript:")
# The admin's own scripts: static files and Django's JavaScript catalogue.
ADMIN_SCRIPTS = (django_settings.STATIC_URL, f"/{django_settings.ADMIN_PATH}jsi18n/")
# The public site's own scripts, both progressive enhancement: the comment form,
# and code blocks' copy button and tab memory.
PUBLIC_SCRIPTS = (
    f"{django_settings.STATIC_URL}js/comments.js",
    f"{django_settings.STATIC_URL}js/code.js",
)


def watched(browser, live_server, *, bypass_csp, hook_dialogs=True):
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="en-US", bypass_csp=bypass_csp
    )
    context.set_default_timeout(5_000)
    context.set_default_navigation_timeout(20_000)
    watch = Watch(origin=live_server.url, hook_dialogs=hook_dialogs)
    watch.attach(context)
    return context, watch, context.new_page()


@pytest.fixture
def csp_context(browser, live_server):
    context, watch, page = watched(browser, live_server, bypass_csp=False)
    yield watch, page
    context.close()


@pytest.fixture
def bypass_context(browser, live_server):
    context, watch, page = watched(browser, live_server, bypass_csp=True)
    yield watch, page
    context.close()


# The detector itself: each channel must fire on a page that is unsafe on purpose.


@pytest.mark.parametrize(
    "probe, expected",
    [
        ("inline", "script ran: alert(inline)"),
        ("handler", "script ran: alert(handler)"),
        ("fresh-frame", "script ran: alert(frame)"),
        ("request", "unexpected request: http://evil.invalid/beacon.png"),
        ("markup", "script URL in href"),
    ],
)
def test_detector_sees_a_script_that_runs(bypass_context, live_server, probe, expected):
    watch, page = bypass_context
    watch.visit(page, reverse("xss_probe", kwargs={"kind": probe}))
    problems = watch.problems()
    assert any(expected in line for line in problems), report(problems)


def test_detector_sees_a_real_dialog(browser, live_server):
    context, watch, page = watched(browser, live_server, bypass_csp=True, hook_dialogs=False)
    try:
        watch.visit(page, reverse("xss_probe", kwargs={"kind": "inline"}))
    finally:
        context.close()
    assert any(line.startswith("dialog: alert('inline')") for line in watch.problems()), report(
        watch.problems()
    )


@pytest.mark.parametrize("probe", ["inline", "handler", "request"])
def test_detector_sees_csp_violations(csp_context, live_server, probe):
    watch, page = csp_context
    watch.visit(page, reverse("xss_probe", kwargs={"kind": probe}))
    problems = watch.problems()
    assert any("CSP violation" in line for line in problems), report(problems)
    assert not any("script ran" in line for line in problems), report(problems)


def test_detector_probes_are_all_tested():
    assert set(PROBES) == {"inline", "handler", "fresh-frame", "request", "markup"}


# The hostile site, built once per session and reloaded for each test.


def snapshot(payload_list, django_db_blocker, work):
    """Build a hostile site, keep its rows as a fixture file, and roll it back."""
    models = (User, Category, Tag, Article, SearchEntry, TaggedArticle, SlugRedirect)
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_roles()
        site = build_hostile_site(payload_list, work)
        rows = [row for model in models for row in model.objects.order_by("pk")]
        data = serializers.serialize("json", rows, use_natural_foreign_keys=True)
        transaction.set_rollback(True)
    path = work / "hostile.json"
    path.write_text(data, encoding="utf-8")
    return path, site


@pytest.fixture(scope="session")
def payloads():
    return load_payloads()


@pytest.fixture(scope="session")
def hostile_snapshot(django_db_setup, django_db_blocker, tmp_path_factory, payloads):
    return snapshot(payloads, django_db_blocker, tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def classic_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    # Repeated so that every field gets a share (titles, tags, names are sampled).
    classics = CLASSICS * 40
    return snapshot(classics, django_db_blocker, tmp_path_factory.mktemp("classic"))


def load_site(path, site, settings):
    call_command("loaddata", str(path), verbosity=0)
    # Every article in the site feeds, not just the latest twenty.
    settings.FEED_ITEMS = Article.objects.count()
    return site


@pytest.fixture
def hostile_site(db, hostile_snapshot, settings):
    return load_site(*hostile_snapshot, settings)


@pytest.fixture
def classic_site(db, classic_snapshot, settings):
    return load_site(*classic_snapshot, settings)


def public_urls(site):
    """Return (label, url) for every public surface the hostile content reaches."""
    urls = []
    pages = math.ceil(Article.objects.published().count() / django_settings.ARTICLES_PER_PAGE)
    home = reverse("articles:home")
    urls += [("home", home if n == 1 else f"{home}?page={n}") for n in range(1, pages + 1)]
    slugs = [*site.body_articles, *site.title_articles, site.imported]
    urls += [("article", reverse("articles:detail", kwargs={"slug": slug})) for slug in slugs]
    urls += [
        ("index", reverse("articles:tag_index")),
        ("index", reverse("articles:category_index")),
    ]
    tag_slugs = spread(site.tag_slugs, TAG_PAGES)[:TAG_PAGES]
    imported = Article.objects.get(slug=site.imported)
    tag_slugs += [tag.slug for tag in imported.tags.all()]
    urls += [("tag", reverse("articles:tag", kwargs={"slug": slug})) for slug in tag_slugs]
    urls += [
        ("category", category.get_absolute_url())
        for category in Category.objects.filter(articles__isnull=False).distinct()
    ]
    usernames = [*site.usernames, imported.author.username]
    urls += [("author", reverse("articles:author", kwargs={"username": n})) for n in usernames]
    dates = Article.objects.published().dates("published_at", "month")
    for year in sorted({date.year for date in dates}):
        urls.append(("archive", reverse("articles:archive_year", kwargs={"year": year})))
    for date in (dates[0], dates[len(dates) // 2], dates[len(dates) - 1]):
        kwargs = {"year": date.year, "month": date.month}
        urls.append(("archive", reverse("articles:archive_month", kwargs=kwargs)))
    urls += feed_urls(site, imported)
    return urls


def feed_urls(site, imported):
    urls = [
        ("feed", reverse(name))
        for name in ("articles:feed_rss", "articles:feed_atom", "articles:feed_json")
    ]
    tag = imported.tags.all()[0]
    urls += [
        ("feed", reverse("articles:tag_feed_atom", kwargs={"slug": tag.slug})),
        ("feed", reverse("articles:category_feed_rss", kwargs={"slug": imported.category.slug})),
        ("feed", reverse("articles:author_feed_atom", kwargs={"username": site.usernames[0]})),
    ]
    return urls


def search_urls(payloads):
    """Return (label, url) for searches for payloads and for words hostile articles contain."""
    search = reverse("articles:search")
    urls = [("search", f"{search}?{urlencode({'q': word})}") for word in SEARCH_WORDS]
    urls.append(("search", f"{search}?{urlencode({'q': 'alert', 'page': 2})}"))
    sample = spread(payloads, SEARCH_SAMPLE, 9)[:SEARCH_SAMPLE]
    urls += [("search", f"{search}?q={quote(payload, safe='')}") for payload in sample]
    return urls


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["csp", "csp-bypassed"])
def test_public_pages_run_no_hostile_script(
    browser, live_server, hostile_site, payloads, bypass_csp
):
    context, watch, page = watched(browser, live_server, bypass_csp=bypass_csp)
    urls = public_urls(hostile_site) + search_urls(payloads)
    try:
        for _label, url in urls:
            watch.visit(page, url, script_paths=PUBLIC_SCRIPTS)
    finally:
        context.close()
    problems = watch.problems()
    assert not problems, report(problems)
    assert watch.pages_seen == len(urls)


def test_classic_payloads_in_every_field_run_nowhere(csp_context, classic_site):
    """Without the corpus too: with CSP on, escaping that failed would raise reports."""
    watch, page = csp_context
    urls = public_urls(classic_site) + search_urls(CLASSICS)
    for _label, url in urls:
        watch.visit(page, url, script_paths=PUBLIC_SCRIPTS)
    problems = watch.problems()
    assert not problems, report(problems)


def test_images_from_other_sites_raise_no_csp_report(csp_context, live_server):
    # Regression: the sanitizer kept plain-http foreign <img src>, which the CSP
    # then blocked with a violation report on the article page. https images are
    # allowed (REMOTE_IMAGES); an image request cannot run script.
    watch, page = csp_context
    article = ArticleFactory(
        body="![remote](http://elsewhere.example/a.png)\n\n<img src='https://elsewhere.example/b.png'>"
    )
    watch.visit(page, article.get_absolute_url(), script_paths=PUBLIC_SCRIPTS)
    problems = watch.problems()
    assert not problems, report(problems)
    assert page.locator("article img").count() == 2
    assert page.locator("article img[src^='http:']").count() == 0


def test_hostile_titles_show_as_text(page, hostile_site):
    """The escaping is what stops them: each title reads back exactly as written."""
    for slug in hostile_site.title_articles[:10]:
        article = Article.objects.get(slug=slug)
        page.goto(article.get_absolute_url())
        shown = page.locator("h1").first.inner_text()
        assert " ".join(shown.split()) == " ".join(article.title.split())


def feed_documents(client, site):
    """Yield (url, [HTML fragments]) for each feed of the hostile site.

    Only the parts that feed readers treat as HTML: RSS description and
    content:encoded, Atom content and summary of type="html", JSON Feed
    content_html. Titles, names and JSON summaries are plain text.
    """
    imported = Article.objects.get(slug=site.imported)
    for _label, url in feed_urls(site, imported):
        response = client.get(url)
        assert response.status_code == 200, url
        if "json" in response["Content-Type"]:
            items = json.loads(response.content)["items"]
            yield url, [item["content_html"] for item in items]
            continue
        root = ElementTree.fromstring(response.content)
        parts = []
        for element in root.iter():
            name = element.tag.rsplit("}", 1)[-1]
            if name in {"description", "encoded"} or (
                name in {"content", "summary"} and element.get("type") == "html"
            ):
                parts.append(element.text or "")
        yield url, parts


def script_capable(fragment):
    """Return the script-capable parts of an HTML fragment, as short descriptions."""
    found = []
    for element in html_tree.parse(fragment).all:
        if element.tag in {"script", "iframe", "object", "embed", "base", "form", "style"}:
            found.append(f"<{element.tag}>")
        for name, value in element.attrs.items():
            if name.startswith("on"):
                found.append(f"{element.tag} {name}=")
            compact = "".join(ch for ch in value if ch > " ").lower()
            if compact.startswith(SCRIPT_URL_SCHEMES):
                found.append(f"{element.tag} {name}={value[:60]}")
    return found


def test_feed_items_carry_no_script(hostile_site):
    client = Client()
    fragments = 0
    problems = []
    for url, parts in feed_documents(client, hostile_site):
        assert parts, f"{url} has no items"
        for part in parts:
            fragments += 1
            problems += [f"{url}: {item}" for item in script_capable(part)]
    assert not problems, report(problems)
    assert fragments > len(hostile_site.body_articles)


def test_admin_escapes_hostile_content(csp_context, live_server, hostile_site):
    watch, page = csp_context
    staff = User.objects.create_superuser("xss-admin", "admin@example.com", tools.PASSWORD)
    tools.log_in(page.context, live_server, staff)
    article = Article.objects.get(slug=hostile_site.title_articles[0])
    # Two revisions with hostile titles, so the history and the diff show them.
    with recorded(user=staff):
        article.save()
    with recorded(user=staff):
        article.title = article.title[::-1]
        article.body = Article.objects.get(slug=hostile_site.body_articles[0]).body
        article.save()
    versions = list(versions_of(article.pk))
    changelist = reverse("admin:articles_article_changelist")
    admin_urls = [
        changelist,
        f"{changelist}?{urlencode({'q': 'alert'})}",
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_article_compare", args=[article.pk])
        + f"?from={versions[-1].pk}&to={versions[0].pk}",
        reverse("admin:articles_category_changelist"),
        reverse("admin:articles_category_change", args=[Category.objects.first().pk]),
        reverse("admin:taggit_tag_changelist"),
    ]
    for url in admin_urls:
        watch.visit(page, url, script_paths=ADMIN_SCRIPTS)

    # The markdownx preview: the editor posts the body and shows what comes back.
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))
    page.locator("textarea[name=body]").evaluate(
        """(body) => {
            body.value += "\\n\\n<img src=x onerror=alert('preview')> preview-done";
            body.dispatchEvent(new Event("input", { bubbles: true }));
        }"""
    )
    page.locator(".markdownx-preview", has_text="preview-done").wait_for()
    watch.check(page, "markdownx preview", script_paths=ADMIN_SCRIPTS)

    problems = watch.problems()
    assert not problems, report(problems)


def test_search_query_is_escaped_in_the_form(page, hostile_site):
    payload = "\"><script>alert('query')</script>"
    page.goto(f"{reverse('articles:search')}?{urlencode({'q': payload})}")
    assert page.locator("#search-page-q").input_value() == payload
