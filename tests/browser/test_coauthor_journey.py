"""Co-authors in a real browser: an editor adds one, the co-author edits, readers see both."""

from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from tests.browser import tools
from tests.factories import UserFactory, draft

DESKTOP = {"width": 1280, "height": 900}


def session(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="en-US", color_scheme="light"
    )
    context.set_default_timeout(8_000)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return context, page


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_editor_adds_a_coauthor_who_edits_and_is_named_in_the_byline(browser, live_server):
    lin = UserFactory(username="lin", role="Authors", first_name="Lin", last_name="Wei")
    UserFactory(username="maya", role="Authors", first_name="Maya", last_name="Fischer")
    editor = UserFactory(username="ed", role="Editors")
    article = draft(author=lin, title="Caches that never go stale", body="A first draft.")

    # 1. The editor opens Lin's draft and picks Maya in the co-author box, by name.
    editor_context, page = session(browser, live_server)
    tools.log_in(editor_context, live_server, editor)
    page.goto(change_url(article))
    page.get_by_role("button", name="Add another co-author").click()
    row = page.locator("#coauthor_links-group tr.form-row.dynamic-coauthor_links").first
    row.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("fisch")
    page.locator(".select2-results__option", has_text="Maya Fischer (maya)").click()
    expect(row.locator(".select2-selection__rendered")).to_contain_text("Maya Fischer")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert [person.username for person in Article.objects.get().byline] == ["lin", "maya"]
    assert not page.js_errors

    # 2. Maya logs in, finds the draft among hers, edits it and saves.
    maya_context, maya_page = session(browser, live_server)
    tools.log_in_with_form(maya_page, "maya")
    maya_page.goto(reverse("admin:articles_article_changelist"))
    maya_page.get_by_role("link", name="Caches that never go stale").click()
    expect(maya_page.locator("#coauthor_links-group")).to_contain_text("Maya Fischer (maya)")
    # She may edit the text, not the list of authors (docs/authoring.md).
    expect(maya_page.locator("#coauthor_links-group select")).to_have_count(0)
    maya_page.fill("#id_body", "A draft that **two** people wrote.")
    maya_page.click("input[name=_continue]")
    expect(maya_page.locator(".messagelist .success")).to_be_visible()
    assert Article.objects.get().body == "A draft that **two** people wrote."
    assert not maya_page.js_errors

    # 3. The editor publishes; readers see both names, each linking to an author page.
    page.goto(change_url(article))
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    reader_context, reader = session(browser, live_server)
    reader.goto(article.get_absolute_url())
    byline = reader.locator(".article-header .authors")
    expect(byline).to_have_text("Lin Wei and Maya Fischer")
    expect(byline.locator("a[rel=author]")).to_have_count(2)
    tools.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    reader.locator(".article-header").screenshot(
        path=tools.SCREENSHOTS / "coauthors-byline-light.png"
    )
    byline.get_by_role("link", name="Maya Fischer").click()
    reader.wait_for_url("**/authors/maya/")
    expect(reader.locator(".entry-title")).to_have_text(["Caches that never go stale"])
    expect(reader.locator(".entry .authors")).to_have_text("Lin Wei and Maya Fischer")
    assert not reader.js_errors
    for context in (editor_context, maya_context, reader_context):
        context.close()
