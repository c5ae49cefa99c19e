import json

import reversion
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from markdownx.models import MarkdownxField

from articles.admin import desk, review
from articles.admin.cards import ArticleCardInline
from articles.admin.coauthors import AuthorFilter, CoauthorInline, coauthor_search
from articles.admin.history import ArticleHistoryAdmin
from articles.admin.notebooks import notebook_import_view
from articles.admin.series import SeriesPartInline
from articles.admin.translations import TranslationInline, translation_state
from articles.admin.widgets import DeskEditorWidget
from articles.models import (
    Article,
    ArticleAutosave,
    Category,
    SlugRedirect,
    join_names,
    listed_coauthors,
    review_state,
)


def can_publish(user):
    return user.has_perm("articles.publish_article")


@admin.register(Article)
class ArticleAdmin(ArticleHistoryAdmin):
    list_display = (
        "title",
        "status_label",
        "review_label",
        "translation",
        "authors",
        "category",
        "published_at",
        "updated_at",
    )
    list_filter = ("status", review.ReviewFilter, "category", "language", AuthorFilter)
    # The translation column reads the link and its source from the same query.
    list_select_related = ("author", "category", "translation_of__source")
    search_fields = ("title", "summary", "slug")
    date_hierarchy = "published_at"
    actions = ("publish_now", "unpublish")
    inlines = (CoauthorInline, SeriesPartInline, TranslationInline, ArticleCardInline)
    # strip=False: Markdown's leading spaces (indented code) and final newline are
    # content; a form field that strips them changed the body on every save and restore.
    formfield_overrides = {MarkdownxField: {"widget": DeskEditorWidget, "strip": False}}
    change_form_template = "admin/articles/article/change_form.html"
    # reversion's list (recover deleted) plus a link to the notebook upload.
    change_list_template = "admin/articles/article/change_list.html"

    fieldsets = (
        (None, {"fields": ("title", "body", "summary", "problems")}),
        (_("Classification"), {"fields": ("category", "tags", "language")}),
        (_("Publishing"), {"fields": ("status", "published_at", "author", "slug")}),
    )

    @admin.display(description=_("authors"), ordering="author")
    def authors(self, article):
        return join_names(person.name for person in article.byline)

    @admin.display(description=_("translation"))
    def translation(self, article):
        return translation_state(article)

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            return _("Scheduled")
        return article.get_status_display()

    # Authors work on the drafts they wrote or co-wrote; editors (publish permission) on
    # everything. Each rule is enforced here on the server, not only by hiding controls.

    @admin.display(description=_("review"), ordering="review_state")
    def review_label(self, article):
        return dict(review.Kind.choices).get(article.review_state, "")

    def get_queryset(self, request):
        # Co-authors inline: the "authors" column and the permission checks below
        # need no query of their own. Not with_byline(): the changelist skips
        # list_select_related when the queryset already selects related rows.
        queryset = (
            super()
            .get_queryset(request)
            .annotate(listed_coauthors=listed_coauthors(), review_state=review_state())
        )
        if can_publish(request.user):
            return queryset
        return queryset.by_author(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or can_publish(request.user):
            return True
        return obj.has_author(request.user) and obj.status == Article.Status.DRAFT

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None or can_publish(request.user):
            return True
        # The owner's decision: a co-author edits the draft but cannot throw it away.
        return obj.author_id == request.user.pk and obj.status == Article.Status.DRAFT

    def has_publish_permission(self, request):
        return can_publish(request.user)

    @admin.display(description=_("problems found when it was last saved"))
    def problems(self, article):
        # Unknown labels or citation keys, broken BibTeX (docs/markdown.md): never blocking.
        if not article or not article.render_problems:
            return _("None")
        return format_html_join(
            "", "<p>{}</p>", ((problem,) for problem in article.render_problems)
        )

    def get_readonly_fields(self, request, obj=None):
        if can_publish(request.user):
            return ("problems",)
        return ("problems", "status", "published_at", "author")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name == "body":
            # The admin prints help text as HTML; the "<!-- more -->" it teaches must show.
            formfield.help_text = escape(db_field.help_text)
        return formfield

    # The editor's own endpoints (docs/authoring.md): autosave beside the article,
    # and a session check that answers JSON instead of redirecting to the login page;
    # and the notebook upload, the admin face of `import_notebook` (admin/notebooks.py).

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "import-notebook/",
                wrap(lambda request: notebook_import_view(self, request)),
                name="articles_article_import_notebook",
            ),
            path(
                "<path:object_id>/autosave/",
                wrap(require_POST(self.autosave_view)),
                name=f"{name}_autosave",
            ),
            path(
                "<path:object_id>/autosave/discard/",
                wrap(require_POST(self.discard_autosave_view)),
                name=f"{name}_discard_autosave",
            ),
            path("desk/session/", never_cache(self.session_view), name=f"{name}_session"),
            path("coauthor-search/", wrap(coauthor_search), name=f"{name}_coauthor_search"),
            path(
                "<path:object_id>/preview-links/",
                wrap(require_POST(self.create_link_view)),
                name=f"{name}_create_link",
            ),
            path(
                "<path:object_id>/preview-links/<int:link_id>/revoke/",
                wrap(require_POST(self.revoke_link_view)),
                name=f"{name}_revoke_link",
            ),
            *super().get_urls(),
        ]

    def _editable(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None or not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def autosave_view(self, request, object_id):
        return desk.save_autosave(request, self._editable(request, object_id))

    def discard_autosave_view(self, request, object_id):
        return desk.discard_autosave(request, self._editable(request, object_id))

    def create_link_view(self, request, object_id):
        return review.create_preview_link(request, self._editable(request, object_id))

    def revoke_link_view(self, request, object_id, link_id):
        return review.revoke_preview_link(request, self._editable(request, object_id), link_id)

    def session_view(self, request):
        return JsonResponse({"active": self.admin_site.has_permission(request)})

    def desk_context(self, request, article):
        config = desk.editor_config(request, article)
        config["sessionUrl"] = reverse("admin:articles_article_session")
        config["loginUrl"] = reverse("admin:login")
        if article is not None:
            config["autosaveUrl"] = reverse("admin:articles_article_autosave", args=[article.pk])
            config["discardUrl"] = reverse(
                "admin:articles_article_discard_autosave", args=[article.pk]
            )
        return {"desk_config": config, "desk_config_json": json.dumps(config)}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.desk_context(request, obj))
        context.update(review.review_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not can_publish(request.user):
            if obj.status != Article.Status.DRAFT:
                raise PermissionDenied
            if not change:
                obj.author = request.user
        elif obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        # Saved: the autosaved copy has served its purpose.
        ArticleAutosave.objects.filter(article=obj, user=request.user).delete()
        review.record(request, obj)

    def response_change(self, request, obj):
        if request.POST.get("_review") in review.ACTIONS:
            # A review step keeps the author on the article, with the thread in view.
            self.message_user(
                request, _("Saved, and the review step was recorded."), messages.SUCCESS
            )
            return redirect("admin:articles_article_change", obj.pk)
        return super().response_change(request, obj)

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        count = 0
        for article in queryset.exclude(status=Article.Status.PUBLISHED, published_at__lte=now):
            article.status = Article.Status.PUBLISHED
            article.published_at = now
            article.save()
            count += 1
        # Each save above joins the revision the changelist view records.
        reversion.set_comment(_("Published."))
        self.message_user(
            request,
            ngettext("Published %d article.", "Published %d articles.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article.save()
            count += 1
        reversion.set_comment(_("Unpublished."))
        self.message_user(
            request,
            ngettext("Unpublished %d article.", "Unpublished %d articles.", count) % count,
            messages.SUCCESS,
        )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "parent", "ordering", "article_count")
    list_editable = ("ordering",)
    list_select_related = ("parent",)
    search_fields = ("name", "slug", "description")
    list_filter = ("parent",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, category):
        return category.article_count


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ("old_slug", "article", "created_at")
    list_select_related = ("article",)
    search_fields = ("old_slug", "article__title")
    readonly_fields = ("old_slug", "article", "created_at")

    def has_add_permission(self, request):
        return False
