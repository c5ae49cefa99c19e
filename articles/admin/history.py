"""The article admin's history, diff, restore, recover and edit-conflict parts.

See docs/security.md.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reversion.admin import VersionAdmin

from articles.admin import revisions
from articles.models import Article


def version_token(updated_at):
    return updated_at.isoformat() if updated_at else ""


class ArticleAdminForm(forms.ModelForm):
    """The article form, refusing a save based on an out-of-date copy."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "title",
            "body",
            "summary",
            "category",
            "tags",
            "language",
            "status",
            "published_at",
            "author",
            "slug",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = version_token(self.instance.updated_at)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            self.check_conflict(cleaned_data.get("loaded_version"))
        return cleaned_data

    def check_conflict(self, token):
        # A client that sends no token (a script) is not protected; the admin's
        # own form always sends one.
        if not token:
            return
        # The admin saves inside a transaction: this row lock holds until the
        # save commits, so two simultaneous saves cannot both pass the check.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        if current is None or token == version_token(current):
            return
        # Carry the newer version in the form, so that saving again after
        # merging is a deliberate choice made with the other edit in view.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = version_token(current)
        who = revisions.last_saved_by(self.instance.pk)
        name = (who.get_full_name() or who.get_username()) if who else _("someone else")
        raise forms.ValidationError(
            _(
                "%(who)s saved this article at %(when)s, after you opened it. Nothing was "
                "saved and nothing was overwritten: your text is still in the form below. "
                "Compare it with their version in the history, merge, then save again."
            ),
            params={
                "who": name,
                "when": date_format(timezone.localtime(current), "DATETIME_FORMAT"),
            },
            code="edit_conflict",
        )


class ArticleHistoryAdmin(VersionAdmin):
    """Revisions for the article admin: history, compare, restore, recover deleted."""

    form = ArticleAdminForm
    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        name, options = fieldsets[0]
        fieldsets[0] = (name, {**options, "fields": (*options["fields"], "loaded_version")})
        return fieldsets

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        return [compare, *super().get_urls()]

    def _history_url(self, obj_pk):
        return reverse("admin:articles_article_history", args=[quote(obj_pk)])

    def _viewable(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("No such article."))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def history_view(self, request, object_id, extra_context=None):
        obj = self._viewable(request, object_id)
        may_change = self.has_change_permission(request, obj)
        rows = [
            {
                "version": version,
                "revision": version.revision,
                "url": reverse("admin:articles_article_revision", args=[quote(obj.pk), version.pk]),
                "can_restore": may_change and revisions.can_restore(request.user, version),
            }
            for version in revisions.versions_of(obj.pk)
        ]
        context = {
            "action_list": rows,
            "compare_url": reverse("admin:articles_article_compare", args=[quote(obj.pk)]),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        obj = self._viewable(request, object_id)
        versions = revisions.versions_of(obj.pk)
        picked = []
        for key in ("from", "to"):
            raw = request.GET.get(key, "")
            if not (raw.isascii() and raw.isdigit()):
                raise Http404(_("Choose two revisions to compare."))
            picked.append(get_object_or_404(versions, pk=int(raw)))
        # Always show the change from the older to the newer revision.
        old, new = sorted(picked, key=lambda v: (v.revision.date_created, v.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": _("Compare revisions of “%(title)s”") % {"title": obj},
            "old": old,
            "new": new,
            "changes": revisions.compare(old, new),
            "history_url": self._history_url(obj.pk),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # reversion's own view reverts first and checks afterwards; a POST for an
        # article outside the user's queryset would then be kept. Check first.
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(revisions.versions_of(obj.pk), pk=version_id)
        if not revisions.can_restore(request.user, version):
            messages.error(request, _("Only an editor can restore a published version."))
            return redirect(self._history_url(obj.pk))
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(revisions.deleted_versions(), pk=version_id)
        if not revisions.can_restore(request.user, version):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        deleted = [
            v for v in revisions.deleted_versions() if revisions.can_restore(request.user, v)
        ]
        return super().recoverlist_view(request, {"deleted": deleted, **(extra_context or {})})

    def delete_model(self, request, obj):
        revisions.record_deletion([obj], user=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        revisions.record_deletion(queryset, user=request.user)
        super().delete_queryset(request, queryset)
