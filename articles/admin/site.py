import reversion
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from articles.admin.history import ArticleHistoryAdmin
from articles.models import Article, Category, SlugRedirect


def can_publish(user):
    return user.has_perm("articles.publish_article")


@admin.register(Article)
class ArticleAdmin(ArticleHistoryAdmin):
    list_display = ("title", "status_label", "author", "category", "published_at", "updated_at")
    list_filter = ("status", "category", "language", "author")
    list_select_related = ("author", "category")
    search_fields = ("title", "summary", "slug")
    date_hierarchy = "published_at"
    actions = ("publish_now", "unpublish")
    # strip=False: Markdown's leading spaces (indented code) and final newline are
    # content; a form field that strips them changed the body on every save and restore.
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget, "strip": False}}

    class Media:
        # The live preview uses the site's own content styles, so it looks like the page.
        css = {"all": ("css/content.css", "css/scholarly.css", "css/admin-editor.css")}

    fieldsets = (
        (None, {"fields": ("title", "body", "summary", "problems")}),
        (_("Classification"), {"fields": ("category", "tags", "language")}),
        (_("Publishing"), {"fields": ("status", "published_at", "author", "slug")}),
    )

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            return _("Scheduled")
        return article.get_status_display()

    # Authors work on their own drafts; editors (publish permission) on everything.
    # Each rule is enforced here on the server, not only by hiding controls.

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if can_publish(request.user):
            return queryset
        return queryset.filter(author=request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or can_publish(request.user):
            return True
        return obj.author_id == request.user.pk and obj.status == Article.Status.DRAFT

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None or can_publish(request.user):
            return True
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
