"""Atom feeds of approved comments: one per article, and the site's recent comments."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles.feeds.views import tag_uri
from articles.models import Article, Comment


class RecentCommentsFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None):
        return _("Recent comments on %(site)s") % {"site": settings.SITE_NAME}

    def link(self, obj=None):
        return reverse("articles:home")

    def feed_url(self, obj=None):
        return reverse("articles:comments_feed")

    def feed_guid(self, obj=None):
        return tag_uri("comments")

    def comments(self, obj):
        return Comment.objects.visible()

    def items(self, obj=None):
        comments = self.comments(obj).select_related("article").order_by("-created_at", "-pk")
        return comments.defer("body", "ip_address")[: settings.FEED_ITEMS]

    def item_title(self, item):
        return _("%(name)s on “%(title)s”") % {"name": item.name, "title": item.article.title}

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return tag_uri(f"comment:{item.article.uuid}:{item.pk}")

    item_guid_is_permalink = False

    def item_author_name(self, item):
        return item.name

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.moderated_at or item.created_at


class ArticleCommentsFeed(RecentCommentsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.published(), slug=slug)

    def title(self, obj=None):
        return _("Comments on “%(title)s”") % {"title": obj.title}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def feed_url(self, obj=None):
        return reverse("articles:article_comments_feed", kwargs={"slug": obj.slug})

    def feed_guid(self, obj=None):
        return tag_uri(f"comments:{obj.uuid}")

    def comments(self, obj):
        return Comment.objects.visible().filter(article=obj)
