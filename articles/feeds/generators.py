"""Feed generators: RSS 2.0 and Atom 1.0 with full content, and JSON Feed 1.1.

Django's generators write summaries only; these add the full article
(`content:encoded`, Atom `content`), the updated date RSS lacks, and the
WebSub hub link, and name every author of an article, not only the first.
Feed-level `hub_url` and item-level `content_html`, `summary_text`, `language`
and `authors` (a list of {name, url}, in byline order) arrive as extra keyword
arguments.
"""

import json

from django.utils import feedgenerator
from django.utils.feedgenerator import rfc3339_date

CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def _authors_apart(item):
    """Return (the item without its single author, its authors), or (item, None) if it has none."""
    authors = item.get("authors")
    if not authors:
        return item, None
    return {**item, "author_name": None, "author_email": None, "author_link": None}, authors


class ContentRssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 whose items carry the full article in content:encoded, and every author."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NAMESPACE,
            "xmlns:dc": DC_NAMESPACE,
        }

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub_url"):
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.feed["hub_url"]})

    def add_item_elements(self, handler, item):
        item, authors = _authors_apart(item)
        super().add_item_elements(handler, item)
        # One dc:creator per author, in byline order: RSS's own <author> must be an
        # email address, which the site does not publish.
        for person in authors or ():
            handler.addQuickElement("dc:creator", person["name"])
        if item["updateddate"] is not None:
            # RSS has no updated date; readers (feedparser among them) take Atom's.
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        handler.addQuickElement("content:encoded", item["content_html"])


class ContentAtomFeed(feedgenerator.Atom1Feed):
    """Atom 1.0 whose entries carry the full article as HTML content, and every author."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub_url"):
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub_url"]})

    def item_attributes(self, item):
        return {"xml:lang": item["language"]} if item.get("language") else {}

    def add_item_elements(self, handler, item):
        item, authors = _authors_apart(item)
        super().add_item_elements(handler, item)
        for person in authors or ():
            handler.startElement("author", {})
            handler.addQuickElement("name", person["name"])
            if person.get("url"):
                handler.addQuickElement("uri", person["url"])
            handler.endElement("author")
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class JsonFeed(feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""

    content_type = "application/feed+json; charset=utf-8"

    def feed_document(self):
        """Return the feed as the dictionary JSON Feed specifies."""
        document = {
            "version": JSON_FEED_VERSION,
            "title": self.feed["title"],
            "home_page_url": self.feed["link"],
            "feed_url": self.feed["feed_url"],
            "description": self.feed["description"],
            "language": self.feed["language"],
            "items": [self.item_document(item) for item in self.items],
        }
        if self.feed.get("hub_url"):
            document["hubs"] = [{"type": "WebSub", "url": self.feed["hub_url"]}]
        return document

    def item_document(self, item):
        document = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item["content_html"],
            "summary": item["summary_text"],
        }
        if item["pubdate"] is not None:
            document["date_published"] = rfc3339_date(item["pubdate"])
        if item["updateddate"] is not None:
            document["date_modified"] = rfc3339_date(item["updateddate"])
        authors = item.get("authors")
        if not authors and item["author_name"]:
            authors = [{"name": item["author_name"], "url": item["author_link"]}]
        if authors:
            document["authors"] = [
                {key: value for key, value in person.items() if value} for person in authors
            ]
        if item["categories"]:
            document["tags"] = list(item["categories"])
        if item.get("language"):
            document["language"] = item["language"]
        return document

    def write(self, outfile, encoding):
        # ensure_ascii=False keeps Chinese readable; the response is UTF-8 throughout.
        outfile.write(json.dumps(self.feed_document(), ensure_ascii=False, indent=1))
