"""Keep search vectors in step when tags change or a category or tag is renamed or deleted.

An article's own saves reindex it inside Article.save(); these receivers cover
the changes made elsewhere that alter what an article's vector holds.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from taggit.models import Tag

from articles.models import Article, Category
from articles.search.index import index_article, reindex_articles


def connect_signals():
    """Connect the receivers; called once from the app's ready()."""
    m2m_changed.connect(_tags_changed, sender=Article.tags.through, dispatch_uid="search_tags")
    for model in (Category, Tag):
        pre_save.connect(_remember_name, sender=model, dispatch_uid=f"search_pre_{model.__name__}")
    post_save.connect(_category_saved, sender=Category, dispatch_uid="search_category")
    post_save.connect(_tag_saved, sender=Tag, dispatch_uid="search_tag")
    pre_delete.connect(_tag_deleting, sender=Tag, dispatch_uid="search_tag_deleting")
    post_delete.connect(_tag_deleted, sender=Tag, dispatch_uid="search_tag_deleted")


def _articles():
    return Article.objects.all()


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if action in {"post_add", "post_remove", "post_clear"}:
            index_article(instance)
        return
    # Reverse side: the instance is a tag and the article ids are in pk_set, or
    # gone after a clear, so remember them before it.
    if action == "pre_clear":
        instance._search_article_ids = list(
            _articles().filter(tags=instance).values_list("pk", flat=True)
        )
    elif action == "post_clear":
        reindex_articles(_articles().filter(pk__in=getattr(instance, "_search_article_ids", [])))
    elif action in {"post_add", "post_remove"} and pk_set:
        reindex_articles(_articles().filter(pk__in=pk_set))


def _remember_name(sender, instance, raw=False, **kwargs):
    instance._search_old_name = (
        sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        if instance.pk and not raw
        else None
    )


def _renamed(instance, created):
    old = getattr(instance, "_search_old_name", None)
    return not created and old is not None and old != instance.name


def _category_saved(sender, instance, created, **kwargs):
    if _renamed(instance, created):
        reindex_articles(_articles().filter(category=instance))


def _tag_saved(sender, instance, created, **kwargs):
    if _renamed(instance, created):
        reindex_articles(_articles().filter(tags=instance))


def _tag_deleting(sender, instance, **kwargs):
    instance._search_article_ids = list(
        _articles().filter(tags=instance).values_list("pk", flat=True)
    )


def _tag_deleted(sender, instance, **kwargs):
    reindex_articles(_articles().filter(pk__in=getattr(instance, "_search_article_ids", [])))
