from django.urls import path, register_converter

from syndication import feeds

from . import views


class FourDigitYearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:04d}"


class TwoDigitConverter:
    """Months and days with a leading zero, so addresses read /2026/07/05/."""

    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:02d}"


class UnicodeSlugConverter:
    """Slugs with letters of any script (SlugField(allow_unicode=True), taggit's tags), e.g.
    kazakhstan-қазақстан-naive-cafe-東京: Django's <slug> takes ASCII only. Addresses carry
    them percent-encoded; Django decodes the path before matching."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FourDigitYearConverter, "yyyy")
register_converter(TwoDigitConverter, "dd")
register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"

urlpatterns = [
    path("", views.front_page, name="front"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("category/<slug:slug>/", views.CategoryArticleList.as_view(), name="category"),
    path("tag/<uslug:slug>/", views.TagArticleList.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorArticleList.as_view(), name="author"),
    path("feeds/rss/", feeds.LatestStories(), name="feed-rss"),
    path("feeds/atom/", feeds.LatestStories(feeds.AtomFeed), name="feed-atom"),
    path("category/<slug:slug>/feed/rss/", feeds.CategoryStories(), name="category-feed-rss"),
    path(
        "category/<slug:slug>/feed/atom/",
        feeds.CategoryStories(feeds.AtomFeed),
        name="category-feed-atom",
    ),
    path("tag/<uslug:slug>/feed/rss/", feeds.TagStories(), name="tag-feed-rss"),
    path("tag/<uslug:slug>/feed/atom/", feeds.TagStories(feeds.AtomFeed), name="tag-feed-atom"),
    path("author/<slug:slug>/feed/rss/", feeds.AuthorStories(), name="author-feed-rss"),
    path(
        "author/<slug:slug>/feed/atom/",
        feeds.AuthorStories(feeds.AtomFeed),
        name="author-feed-atom",
    ),
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
