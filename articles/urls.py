from django.contrib.sitemaps.views import sitemap
from django.urls import path

from articles.comments import feeds as comment_feeds
from articles.feeds import languages as language_feeds
from articles.feeds import series as series_feeds
from articles.feeds import views as feeds
from articles.views import detail, fonts, listings, series, site, translations
from articles.views.sitemaps import SITEMAPS

app_name = "articles"

urlpatterns = [
    path("", listings.ArticleListView.as_view(), name="home"),
    # <str:>, not <slug:>: slugs are Unicode (注意力机制) and <slug:> is ASCII-only.
    path("articles/<str:slug>/", detail.ArticleDetailView.as_view(), name="detail"),
    path("articles/<int:pk>/math-<str:digest>.woff2", fonts.math_font, name="math_font"),
    path("tags/", listings.TagIndexView.as_view(), name="tag_index"),
    path("tags/<str:slug>/", listings.TagArticleListView.as_view(), name="tag"),
    path("categories/", listings.CategoryIndexView.as_view(), name="category_index"),
    path("categories/<str:slug>/", listings.CategoryArticleListView.as_view(), name="category"),
    # One language's articles (docs/bilingual.md): a prefix, so existing URLs keep their meaning.
    path("lang/<str:language>/", translations.LanguageArticleListView.as_view(), name="language"),
    path("interface/<str:language>/", translations.choose_language, name="choose_language"),
    path("series/", series.SeriesIndexView.as_view(), name="series_index"),
    path("series/<str:slug>/", series.SeriesDetailView.as_view(), name="series"),
    path("search/", listings.SearchView.as_view(), name="search"),
    path("authors/<str:username>/", listings.AuthorArticleListView.as_view(), name="author"),
    path("archive/<int:year>/", listings.ArchiveArticleListView.as_view(), name="archive_year"),
    path(
        "archive/<int:year>/<int:month>/",
        listings.ArchiveArticleListView.as_view(),
        name="archive_month",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", site.robots_txt, name="robots"),
    path("healthz", site.healthz, name="healthz"),
    # Feeds (docs/feeds.md).
    path("feed/", feeds.ArticleFeed(), name="feed_rss"),
    path("feed/atom/", feeds.AtomArticleFeed(), name="feed_atom"),
    path("feed/json/", feeds.JsonArticleFeed(), name="feed_json"),
    path("tags/<str:slug>/feed/", feeds.TagFeed(), name="tag_feed_rss"),
    path("tags/<str:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag_feed_atom"),
    path("categories/<str:slug>/feed/", feeds.CategoryFeed(), name="category_feed_rss"),
    path("categories/<str:slug>/feed/atom/", feeds.CategoryAtomFeed(), name="category_feed_atom"),
    path("authors/<str:username>/feed/", feeds.AuthorFeed(), name="author_feed_rss"),
    path("authors/<str:username>/feed/atom/", feeds.AuthorAtomFeed(), name="author_feed_atom"),
    # Approved reader comments (docs/comments.md).
    path("comments/feed/", comment_feeds.RecentCommentsFeed(), name="comments_feed"),
    path(
        "articles/<str:slug>/comments/feed/",
        comment_feeds.ArticleCommentsFeed(),
        name="article_comments_feed",
    ),
    path("lang/<str:language>/feed/", language_feeds.LanguageFeed(), name="language_feed_rss"),
    path(
        "lang/<str:language>/feed/atom/",
        language_feeds.LanguageAtomFeed(),
        name="language_feed_atom",
    ),
    path(
        "lang/<str:language>/feed/json/",
        language_feeds.LanguageJsonFeed(),
        name="language_feed_json",
    ),
    path("series/<str:slug>/feed/", series_feeds.SeriesFeed(), name="series_feed_rss"),
    path("series/<str:slug>/feed/atom/", series_feeds.SeriesAtomFeed(), name="series_feed_atom"),
    path("series/<str:slug>/feed/json/", series_feeds.SeriesJsonFeed(), name="series_feed_json"),
]
