"""Articles: the model, its save-time rendering, and old slugs that redirect."""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from taggit.managers import TaggableManager

from articles.models.authors import ArticleAuthor, AuthorLink
from articles.models.bibliography import Bibliography
from articles.models.cards import refresh_card
from articles.models.changes import StoredState
from articles.models.fonts import prepare_math_font
from articles.models.images import responsive_body
from articles.models.queryset import ArticleQuerySet
from articles.models.search import SearchEntry
from articles.models.taxonomy import Category, TaggedArticle, TagLink
from articles.models.translations import sync_translation
from articles.models.visibility import ArticleStatus
from articles.rendering.math_glyphs import math_code_points, unicode_range
from articles.rendering.pipeline import render_article
from articles.rendering.slugs import slug_from_text, unique_slug
from articles.search.documents import build_document


def default_language():
    return settings.LANGUAGE_CODE


def validate_body_length(value):
    limit = settings.MAX_BODY_CHARS
    if len(value) > limit:
        raise ValidationError(
            _("The article is %(length)s characters long; the limit is %(limit)s."),
            params={"length": f"{len(value):,}", "limit": f"{limit:,}"},
            code="body_too_long",
        )


class Article(models.Model):
    Status = ArticleStatus

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_(
            "The article's URL. Leave blank to make one from the title. Changing it "
            "on a published article keeps the old URL working as a redirect."
        ),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_(
            "The article's owner, named first in the byline. Co-authors, in the box "
            "below, are named after the author in the order of their positions."
        ),
    )
    # Ordered through ArticleAuthor (articles/models/authors.py); read it as `byline`.
    coauthors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-authors"),
        through=ArticleAuthor,
        related_name="coauthored_articles",
        blank=True,
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedArticle, blank=True)
    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=1000,
        help_text=_("Optional. Shown in lists and feeds instead of the automatic preview."),
    )
    body = MarkdownxField(
        _("body"),
        validators=[validate_body_length],
        help_text=_(
            "Markdown. Math between $…$ or $$…$$, fenced code with a language, "
            "tables and footnotes. Put <!-- more --> where the preview should end."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=default_language,
        help_text=_("The language the article is written in."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_(
            "A published article appears at this time. A future date schedules it; "
            "left empty, publishing sets it to now."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Moves only when what readers see changes (title, summary, rendered body),
    # so feed readers don't show an item as new after a metadata-only save.
    content_updated_at = models.DateTimeField(_("content updated at"), null=True, editable=False)

    # Derived from the body by articles.rendering.pipeline at save time; never edited.
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    preview = models.TextField(editable=False, default="")
    word_count = models.PositiveIntegerField(editable=False, default=0)
    reading_minutes = models.PositiveIntegerField(editable=False, default=1)
    # What the last render found worth fixing (unknown labels or citation keys,
    # broken BibTeX); shown to the author in the admin, never to readers.
    render_problems = models.JSONField(editable=False, default=list, blank=True)
    # The characters the formulas are drawn with, as a CSS unicode-range: the
    # page's own subset of the math font is cut to them (docs/math.md, "Fonts").
    math_glyphs = models.TextField(editable=False, default="", blank=True)
    # The text search snippets are cut from; the vectors search matches are in
    # SearchEntry. Both are kept in sync by articles.search.index.
    search_text = models.TextField(editable=False, default="")
    # Where an imported article came from ("slug:…", "path:…" or "wp:…"); re-imports
    # find the article by it and update it instead of adding a duplicate (docs/import-export.md).
    source_key = models.CharField(
        max_length=500, unique=True, null=True, blank=True, editable=False
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [("publish_article", _("Can publish and unpublish articles"))]
        indexes = [
            # Listings order by (published_at, pk) newest first; with pk in the index
            # deep pages and counts are index-only scans (docs/performance.md).
            models.Index(
                F("status"), F("published_at").desc(), F("id").desc(), name="article_listing_idx"
            ),
            models.Index(
                F("category"), F("status"), F("published_at").desc(), name="article_category_idx"
            ),
            models.Index(
                F("author"), F("status"), F("published_at").desc(), name="article_author_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="article_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_article_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.fill_defaults()
        self.render()
        with transaction.atomic():
            # Read once, inside the transaction, for everything that compares
            # before and after: slug redirects here, the cache and WebSub receivers.
            self.stored_state = previous = self.read_stored_state()
            if previous is None or (self.title, self.summary, self.body_html) != (
                previous.title,
                previous.summary,
                previous.body_html,
            ):
                self.content_updated_at = timezone.now()
            super().save(*args, **kwargs)
            if previous and previous.slug != self.slug:
                self._remember_old_slug(previous)
            SearchEntry.objects.write_documents([self.search_document()])
            # A translation whose content changed has caught up with its source.
            sync_translation(self)
            # Drawn once the save is committed: a rolled-back save draws nothing and
            # the transaction is not held open while a picture is drawn (docs/media.md).
            transaction.on_commit(lambda: refresh_card(self), robust=True)
            if self.math_glyphs:
                transaction.on_commit(lambda: prepare_math_font(self), robust=True)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def search_document(self):
        """Return this saved article's search document, built from its in-memory fields."""
        return build_document(
            pk=self.pk,
            title=self.title,
            summary=self.summary,
            body_html=self.body_html,
            category_name=self.category.name if self.category_id else "",
            tag_names=list(self.tags.values_list("name", flat=True)),
            language=self.language,
        )

    @property
    def tag_links(self):
        """Return the tags as TagLinks, by name: from the row when for_listing() loaded them."""
        rows = getattr(self, "listed_tags", None)
        if rows is None:
            rows = self.tags.order_by("name").values("id", "name", "slug")
        return [TagLink(**row) for row in rows]

    @property
    def byline(self):
        """Return the authors as AuthorLinks, the author first: from the row when loaded with it."""
        rows = getattr(self, "listed_coauthors", None)
        if rows is None:
            fields = ("user_id", "user__username", "user__first_name", "user__last_name")
            names = ("id", "username", "first_name", "last_name")
            links = self.coauthor_links.order_by("position", "pk").values_list(*fields)
            rows = [dict(zip(names, link, strict=True)) for link in links] if self.pk else []
        return [AuthorLink.of(self.author), *(AuthorLink.from_row(row) for row in rows)]

    @property
    def author_ids(self):
        """Return the ids of the author and co-authors, without loading the author's row."""
        rows = getattr(self, "listed_coauthors", None)
        if rows is None:
            rows = self.coauthor_links.values("user_id") if self.pk else []
            return [self.author_id, *(row["user_id"] for row in rows)]
        return [self.author_id, *(row["id"] for row in rows)]

    def has_author(self, user):
        """Return whether `user` is this article's author or one of its co-authors."""
        return getattr(user, "pk", None) is not None and user.pk in self.author_ids

    def credited_people(self):
        """Return the author and co-authors as a query over users (for addresses, say)."""
        coauthors = self.coauthor_links.values("user_id")
        return get_user_model().objects.filter(Q(pk=self.author_id) | Q(pk__in=coauthors))

    def set_coauthors(self, users):
        """Make `users` the co-authors, in this order; the author and repeats are left out."""
        wanted = []
        for user in users:
            if user.pk != self.author_id and user.pk not in (other.pk for other in wanted):
                wanted.append(user)
        with transaction.atomic():
            # One row at a time, not in bulk: each row's signals move the content token.
            gone = list(self.coauthor_links.exclude(user__in=wanted))
            for link in gone:
                link.delete()
            current = dict(self.coauthor_links.values_list("user_id", "position"))
            moved = [user for at, user in enumerate(wanted, 1) if current.get(user.pk) != at]
            for user in moved:
                ArticleAuthor.objects.update_or_create(
                    article=self, user=user, defaults={"position": wanted.index(user) + 1}
                )
            if gone or moved:
                # The card names the authors; as in save(), drawn once this commits.
                transaction.on_commit(lambda: refresh_card(self), robust=True)

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def fill_defaults(self):
        """Set the slug and publication date an author left blank."""
        if not self.slug:
            self.slug = unique_slug(slug_from_text(self.title), taken=self._slug_taken)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def clean(self):
        # Before constraint validation, which would otherwise see a blank slug.
        self.fill_defaults()
        if self.slug:
            clash = SlugRedirect.objects.filter(old_slug=self.slug).exclude(article_id=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"slug": _("This slug redirects to another article; choose a different one.")}
                )

    def render(self):
        """Derive the stored HTML, table of contents, preview and counts from the body."""
        result = render_article(
            self.body,
            language=self.language,
            summary=self.summary,
            bibliography=Bibliography.objects.combined_bibtex(),
        )
        self.render_problems = result.problems
        # Images in our storage become responsive pictures here, once, not per view.
        self.body_html = responsive_body(result.html)
        self.math_glyphs = unicode_range(math_code_points(self.body_html))
        self.toc = result.toc
        self.preview = result.preview
        self.word_count = result.word_count
        self.reading_minutes = result.reading_minutes

    def read_stored_state(self):
        """Return the row as stored before this save (a StoredState), or None if it is new."""
        if self.pk is None:
            return None
        row = Article.objects.filter(pk=self.pk).values_list(*StoredState._fields).first()
        return None if row is None else StoredState(*row)

    def _slug_taken(self, slug):
        return (
            Article.objects.filter(slug=slug).exclude(pk=self.pk).exists()
            or SlugRedirect.objects.filter(old_slug=slug).exclude(article_id=self.pk).exists()
        )

    def _remember_old_slug(self, previous):
        # A slug that becomes current again must stop redirecting to itself.
        SlugRedirect.objects.filter(old_slug=self.slug).delete()
        if previous.is_published:
            SlugRedirect.objects.update_or_create(
                old_slug=previous.slug, defaults={"article": self}
            )


class SlugRedirect(models.Model):
    """An old slug of a published article; its URL answers 301 to the current one."""

    old_slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("slug redirect")
        verbose_name_plural = _("slug redirects")

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"
