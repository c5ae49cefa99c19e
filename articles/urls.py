from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    # <str:>, not <slug:>: slugs are Unicode (注意力机制) and <slug:> is ASCII-only.
    path("articles/<str:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("categories/<str:slug>/", views.CategoryArticleListView.as_view(), name="category"),
    path("search/", views.SearchView.as_view(), name="search"),
]
