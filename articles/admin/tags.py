"""Tags in the admin: editors manage all of them; authors see only the ones they may know.

A tag name can give away an unpublished article ("layoffs-2027"), so an author
(no change_tag permission) sees the tags used on published articles and on
the articles they wrote or co-wrote, nothing from other people's drafts.
"""

from django.contrib import admin
from django.db.models import Q
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from articles.models import Article, TaggedArticle


def tags_visible_to(user, queryset):
    """Return the tags of `queryset` that `user` may see in the admin."""
    if user.has_perm("taggit.change_tag"):
        return queryset
    visible = TaggedArticle.objects.filter(
        Q(content_object__in=Article.objects.published())
        | Q(content_object__in=Article.objects.by_author(user))
    ).values("tag_id")
    return queryset.filter(pk__in=visible)


# taggit registers its own TagAdmin; replace it (INSTALLED_APPS loads taggit first).
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    def get_queryset(self, request):
        return tags_visible_to(request.user, super().get_queryset(request))
