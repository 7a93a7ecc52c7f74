from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.front_page, name="front"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("category/<slug:slug>/", views.CategoryArticleList.as_view(), name="category"),
    path("tag/<uslug:slug>/", views.TagArticleList.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorArticleList.as_view(), name="author"),
    path("preview/<int:pk>/", views.ArticlePreview.as_view(), name="preview"),
    path("s/<int:pk>/", views.short_link, name="short"),
    path("archive/", views.ArticleArchive.as_view(), name="archive"),
    path("archive/<yyyy:year>/", views.ArticleYearArchive.as_view(), name="archive-year"),
    path(
        "archive/<yyyy:year>/<dd:month>/",
        views.ArticleMonthArchive.as_view(),
        name="archive-month",
    ),
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/<uslug:slug>/",
        views.ArticleDetail.as_view(),
        name="detail",
    ),
]
