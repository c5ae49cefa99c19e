from django.contrib.sitemaps.views import sitemap
from django.urls import path

from articles import feeds, views
from articles.sitemaps import SITEMAPS

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    # <str:>, not <slug:>: slugs are Unicode (注意力机制) and <slug:> is ASCII-only.
    path("articles/<str:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("tags/", views.TagIndexView.as_view(), name="tag_index"),
    path("tags/<str:slug>/", views.TagArticleListView.as_view(), name="tag"),
    path("categories/", views.CategoryIndexView.as_view(), name="category_index"),
    path("categories/<str:slug>/", views.CategoryArticleListView.as_view(), name="category"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("authors/<str:username>/", views.AuthorArticleListView.as_view(), name="author"),
    path("archive/<int:year>/", views.ArchiveArticleListView.as_view(), name="archive_year"),
    path(
        "archive/<int:year>/<int:month>/",
        views.ArchiveArticleListView.as_view(),
        name="archive_month",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
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
]
