"""Moderation in the admin: editors see every comment, authors those on their own articles."""

import json

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.caching.invalidation import comments_changed
from articles.comments.moderation import (
    delete_by_email_hash,
    may_moderate,
    moderatable_by,
    moderate_many,
)
from articles.comments.notifications import notify_reply
from articles.models import BlockedTerm, ClosedDiscussion, Comment, CommentMail, CommentPolicy

EXPORT_FIELDS = (
    "id", "article_id", "parent_id", "name", "email", "website", "body", "status",
    "created_at", "ip_address",
)  # fmt: skip


def _is_editor(request):
    return request.user.is_active and request.user.has_perm("articles.publish_article")


class ModerationAction:
    def __init__(self, action, label):
        self.action = action
        self.short_description = label
        self.__name__ = f"mark_{action}"

    def __call__(self, modeladmin, request, queryset):
        count = moderate_many(list(moderatable_by(request.user, queryset)), self.action)
        modeladmin.message_user(
            request, ngettext("%d comment updated.", "%d comments updated.", count) % count
        )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("name", "excerpt", "article", "status", "spam_score", "reasons", "created_at")
    list_filter = ("status", "is_staff_reply", "created_at")
    list_select_related = ("article",)
    date_hierarchy = "created_at"
    search_fields = ("name", "email", "body", "website", "article__title")
    readonly_fields = (
        "article", "parent", "user", "email", "spam_score", "reasons", "ip_address",
        "created_at", "moderated_at",
    )  # fmt: skip
    fields = ("article", "parent", "user", "name", "email", "website", "body", "status",
              "wants_replies", "spam_score", "reasons", "ip_address", "created_at",
              "moderated_at")  # fmt: skip
    actions = [
        ModerationAction("approve", _("Approve")),
        ModerationAction("reject", _("Reject")),
        ModerationAction("spam", _("Mark as spam")),
        ModerationAction("delete", _("Delete")),
        "export_by_email",
        "forget_by_email",
    ]

    def get_queryset(self, request):
        return moderatable_by(request.user, super().get_queryset(request))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "website":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # Deleting goes through moderation (cache, feeds).
        if not _is_editor(request):
            actions.pop("export_by_email", None)
            actions.pop("forget_by_email", None)
        return actions

    # Any staff member may open the list; the queryset limits authors to their articles.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or may_moderate(request.user, obj.article)
        )

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        before = Comment.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        super().save_model(request, obj, form, change)
        if Comment.Status.APPROVED in (before, obj.status):
            comments_changed(obj.article_id)
        if obj.status == Comment.Status.APPROVED and before != obj.status:
            notify_reply(obj)

    def delete_model(self, request, obj):
        moderate_many([obj], "delete")

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return Truncator(obj.body).chars(80)

    @admin.display(description=_("spam reasons"))
    def reasons(self, obj):
        return format_html_join(", ", "{}", ((reason,) for reason in obj.spam_reasons)) or "—"

    @admin.action(description=_("Export everything from these commenters' emails (JSON)"))
    def export_by_email(self, request, queryset):
        hashes = set(queryset.exclude(email_hash="").values_list("email_hash", flat=True))
        rows = list(
            Comment.objects.filter(email_hash__in=hashes).order_by("pk").values(*EXPORT_FIELDS)
        )
        payload = json.dumps(rows, default=str, ensure_ascii=False, indent=2)
        response = HttpResponse(payload, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="comments-export.json"'
        return response

    @admin.action(description=_("Delete everything from these commenters' emails"))
    def forget_by_email(self, request, queryset):
        hashes = set(queryset.exclude(email_hash="").values_list("email_hash", flat=True))
        count = sum(delete_by_email_hash(digest) for digest in hashes)
        self.message_user(
            request, _("%(count)d comments deleted.") % {"count": count}, messages.SUCCESS
        )


class EditorsOnly:
    """Blocklist, closing and the outbox are editors' business (those who may publish)."""

    def has_module_permission(self, request):
        return _is_editor(request)

    def has_view_permission(self, request, obj=None):
        return _is_editor(request)

    def has_change_permission(self, request, obj=None):
        return _is_editor(request)

    def has_add_permission(self, request):
        return _is_editor(request)

    def has_delete_permission(self, request, obj=None):
        return _is_editor(request)


@admin.register(BlockedTerm)
class BlockedTermAdmin(EditorsOnly, admin.ModelAdmin):
    list_display = ("value", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("value",)


@admin.register(ClosedDiscussion)
class ClosedDiscussionAdmin(EditorsOnly, admin.ModelAdmin):
    list_display = ("article", "closed_at")
    autocomplete_fields = ("article",)


@admin.register(CommentPolicy)
class CommentPolicyAdmin(EditorsOnly, admin.ModelAdmin):
    list_display = ("__str__", "is_open", "close_after_days")

    def has_add_permission(self, request):
        return _is_editor(request) and not CommentPolicy.objects.exists()

    def save_model(self, request, obj, form, change):
        # One row: the cache moves with its save (articles/caching/invalidation.py).
        obj.pk = 1
        super().save_model(request, obj, form, change)


@admin.register(CommentMail)
class CommentMailAdmin(EditorsOnly, admin.ModelAdmin):
    """The outbox, for seeing what waits and why; `manage.py send_comment_mail` sends it."""

    list_display = ("to", "subject", "attempts", "next_attempt_at", "error")
    readonly_fields = ("to", "subject", "text", "attempts", "next_attempt_at", "last_error")
    exclude = ("html", "unsubscribe_url")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last error"))
    def error(self, obj):
        return format_html("{}", Truncator(obj.last_error).chars(80))
