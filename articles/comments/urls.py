from django.urls import path

from articles.comments import link_views, views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_pk>/", views.post, name="post"),
    path("preview/", views.preview, name="preview"),
    path("stamp/<int:article_pk>/", views.stamp, name="stamp"),
    path("moderate/<str:token>/", link_views.moderate_link, name="moderate"),
    path("unsubscribe/<str:token>/", link_views.unsubscribe, name="unsubscribe"),
    path("delete/<str:token>/", link_views.delete_own, name="delete"),
    path("forget/", link_views.forget, name="forget"),
    path("forget/<str:token>/", link_views.forget_confirm, name="forget_confirm"),
]
