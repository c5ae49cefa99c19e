"""Atom feeds of approved comments: one per article, and the site's recent comments.

Like the article feeds, every text goes through xml_safe() (a control character
would make the XML writer fail), every link is absolute on SITE_URL whatever the
request's Host, and comment bodies get feed_html() (math and code for readers).
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles.feeds.content import feed_html, xml_safe
from articles.feeds.views import absolute, tag_uri
from articles.models import Article, Comment


class RecentCommentsFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None):
        return xml_safe(_("Recent comments on %(site)s") % {"site": settings.SITE_NAME})

    def link(self, obj=None):
        return absolute(reverse("articles:home"))

    def feed_url(self, obj=None):
        return absolute(reverse("articles:comments_feed"))

    def feed_guid(self, obj=None):
        return tag_uri("comments")

    def comments(self, obj):
        return Comment.objects.visible()

    def items(self, obj=None):
        comments = self.comments(obj).select_related("article").order_by("-created_at", "-pk")
        return comments.defer("body", "ip_address")[: settings.FEED_ITEMS]

    def item_title(self, item):
        title = _("%(name)s on “%(title)s”") % {"name": item.name, "title": item.article.title}
        return xml_safe(title)

    def item_description(self, item):
        return feed_html(item.body_html, base_url=self.item_link(item))

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        return tag_uri(f"comment:{item.article.uuid}:{item.pk}")

    item_guid_is_permalink = False

    def item_author_name(self, item):
        return xml_safe(item.name)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.moderated_at or item.created_at


class ArticleCommentsFeed(RecentCommentsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.published(), slug=slug)

    def title(self, obj=None):
        return xml_safe(_("Comments on “%(title)s”") % {"title": obj.title})

    def link(self, obj=None):
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj=None):
        return absolute(reverse("articles:article_comments_feed", kwargs={"slug": obj.slug}))

    def feed_guid(self, obj=None):
        return tag_uri(f"comments:{obj.uuid}")

    def comments(self, obj):
        return Comment.objects.visible().filter(article=obj)
