"""Co-authors on the article's edit page: who may choose them, the box, the person search.

The article's author (its owner) and editors choose the co-authors and their
order; co-authors see the list but cannot change it, and cannot delete the
article (docs/authoring.md, "Co-authors"). The person search answers only names
and usernames of staff accounts, never addresses, and is open to anyone who
may write articles: Django's own autocomplete would demand permission to view
every user account, which authors rightly do not have.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _

from articles.admin.inlines import OptionalInlineFormSet
from articles.models import ArticleAuthor

SEARCH_PAGE_SIZE = 20


def may_choose_authors(user, article):
    """Editors choose any article's co-authors; an author chooses those of their own articles."""
    if user.has_perm("articles.publish_article"):
        return True
    if article is None:
        return user.has_perm("articles.add_article")  # Whoever creates it becomes its author.
    return article.author_id == user.pk


def person_label(user):
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


def coauthor_search(request):
    """Answer the co-author box's search: staff accounts whose name or username matches."""
    user = request.user
    if not (user.has_perm("articles.add_article") or user.has_perm("articles.change_article")):
        raise PermissionDenied
    people = get_user_model().objects.filter(is_staff=True, is_active=True)
    for word in request.GET.get("term", "").split()[:5]:
        named = Q(first_name__icontains=word) | Q(last_name__icontains=word)
        people = people.filter(named | Q(username__icontains=word))
    people = people.only("pk", "username", "first_name", "last_name").order_by("username")
    page = Paginator(people, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "results": [{"id": str(person.pk), "text": person_label(person)} for person in page],
            "pagination": {"more": page.has_next()},
        }
    )


class CoauthorSelect(AutocompleteSelect):
    """The admin's autocomplete box, asking coauthor_search() instead of Django's endpoint."""

    url_name = "%s:articles_article_coauthor_search"


class CoauthorForm(forms.ModelForm):
    class Meta:
        model = ArticleAuthor
        fields = ("user", "position")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left blank, the person goes after the last co-author.
        if "position" in self.fields:
            self.fields["position"].required = False
            if self.instance._state.adding:
                self.initial["position"] = None  # not the model's default of 1
        if "user" in self.fields:  # Absent where the list is shown, not edited.
            self.fields["user"].label_from_instance = person_label


class CoauthorFormSet(OptionalInlineFormSet):
    def clean(self):
        super().clean()
        chosen = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("user") is not None
        ]
        positions = [form.cleaned_data.get("position") for form in chosen]
        last = max(filter(None, positions), default=0)
        for form in chosen:
            # The instance already carries the author chosen in this same post.
            if form.cleaned_data["user"].pk == self.instance.author_id:
                form.add_error("user", _("This person is already the article's author."))
            if form.cleaned_data.get("position") is None:
                last += 1
                form.instance.position = form.cleaned_data["position"] = last


class CoauthorInline(admin.TabularInline):
    """The article's co-authors, in byline order, on its edit page."""

    model = ArticleAuthor
    form = CoauthorForm
    formset = CoauthorFormSet
    readonly_fields = ("person",)
    extra = 0
    ordering = ("position", "pk")
    verbose_name = _("co-author")
    verbose_name_plural = _("co-authors")

    def get_fields(self, request, obj=None):
        # Those who may not change the list see the names, not account links.
        editable = may_choose_authors(request.user, obj)
        return ("user", "position") if editable else ("person", "position")

    @admin.display(description=_("co-author"))
    def person(self, link):
        return person_label(link.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["widget"] = CoauthorSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # The rule is the article's, not a permission on the link model: whoever may
    # open the article sees its co-authors; its author and editors change them.

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return may_choose_authors(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return may_choose_authors(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return may_choose_authors(request.user, obj)


class AuthorFilter(admin.SimpleListFilter):
    """The article list's "author" filter: articles a person wrote or co-wrote."""

    title = _("author")
    parameter_name = "credited"

    def lookups(self, request, model_admin):
        # Only people credited on articles this user may see in the list.
        visible = model_admin.get_queryset(request).order_by()
        people = (
            get_user_model()
            .objects.filter(
                Q(pk__in=visible.values("author_id")) | Q(coauthor_links__article__in=visible)
            )
            .distinct()
        )
        return [(person.pk, person_label(person)) for person in people.order_by("username")]

    def queryset(self, request, queryset):
        value = self.value() or ""
        return queryset.by_author(int(value)) if value.isdigit() else queryset
