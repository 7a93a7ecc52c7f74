"""Every public page costs a fixed number of SQL queries, however much content there is:
at most 8 with an empty cache, none when the page comes from the page cache, and at most 3
when only the site furniture (navigation, Top Categories, About box, Most read) is cached.

Each page is measured on a small site, then on the same site grown tenfold."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import About, Author, Byline, Correction
from mostread.models import ArticleView

from .conftest import clear_caches
from .factories import make_article, make_category, make_comment

pytestmark = pytest.mark.django_db

EMPTY_CACHE_BUDGET = 8
FURNITURE_CACHED_BUDGET = 3


class Site:
    """A news site that can grow: stories in three sections sharing tags, with bylines,
    readings for Most read, and one story under test with many comments and ten tags."""

    def __init__(self):
        self.sections = [make_category(name=name) for name in ("World", "Business", "Sport")]
        self.author = Author.objects.create(name="Aigerim Bekova", slug="aigerim-bekova")
        self.story = self.add_story(
            0, tags=[f"Topic {n}" for n in range(10)], title="The story under test"
        )
        Correction.objects.create(article=self.story, text="An earlier version misspelt a name.")
        self.stories = 1
        self.comments = 0
        About.load()

    def add_story(self, n, tags=None, **fields):
        story = make_article(
            category=self.sections[n % 3],
            tags=tags or ["Topic 1", f"Other {n}"],
            published_at=timezone.now() - timedelta(days=n % 40, minutes=n),
            **fields,
        )
        Byline.objects.create(article=story, author=self.author)
        hour = timezone.now().replace(minute=0, second=0, microsecond=0)
        ArticleView.objects.create(article=story, hour=hour, count=n + 1)
        return story

    def grow_to(self, stories, comments):
        for n in range(self.stories, stories):
            self.add_story(n)
        self.stories = stories
        for n in range(self.comments, comments):
            # Every third comment answers the one before: threads with replies.
            parent = self.last_comment if n % 3 == 2 else None
            self.last_comment = make_comment(
                self.story, status="approved", parent=parent, body=f"Comment {n}"
            )
        self.comments = comments


def pages(site):
    story = site.story
    when = timezone.localtime(story.published_at)
    return {
        "front": "/",
        "article": story.get_absolute_url(),
        "category": site.sections[0].get_absolute_url(),
        "tag": "/tag/topic-1/",
        "author": site.author.get_absolute_url(),
        "archive": "/archive/",
        "year": f"/archive/{when:%Y}/",
        "month": f"/archive/{when:%Y/%m}/",
        "search": "/search/?q=story",
        "about": "/about/",
        "feed": "/feeds/rss/",
        "category feed": f"{site.sections[0].get_absolute_url()}feed/atom/",
        "sitemap": "/sitemap.xml",
        "story sitemap": f"/sitemap-articles-{when:%Y-%m}.xml",
        "news sitemap": "/sitemap-news.xml",
        "tag sitemap": "/sitemap-tags.xml",
    }


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


PAGES = [
    "front",
    "article",
    "category",
    "tag",
    "author",
    "archive",
    "year",
    "month",
    "search",
    "about",
    "feed",
    "category feed",
    "sitemap",
    "story sitemap",
    "news sitemap",
    "tag sitemap",
]


@pytest.mark.parametrize("name", PAGES)
def test_a_page_costs_the_same_few_queries_with_ten_times_the_content(client, name):
    site = Site()
    site.grow_to(stories=5, comments=5)
    url = pages(site)[name]
    client.get(url)  # Anything made on first use (the About row) is made.
    # Both caches: "pages" keeps what is drawn once per revision (cards, search snippets).

    clear_caches()
    small = count_queries(client, url)
    site.grow_to(stories=50, comments=50)
    clear_caches()
    large = count_queries(client, url)

    assert large == small, f"{name}: {small} queries with 5 stories, {large} with 50"
    assert large <= EMPTY_CACHE_BUDGET, f"{name}: {large} queries with an empty cache"


# The news sitemap changes with the clock, not only with the content: never page-cached.
@pytest.mark.parametrize("name", [name for name in PAGES if name != "news sitemap"])
def test_a_page_from_the_page_cache_costs_no_query(client, name):
    site = Site()
    site.grow_to(stories=20, comments=20)
    url = pages(site)[name]
    first = client.get(url)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)

    assert len(queries) == 0
    assert again.content == first.content


@pytest.mark.parametrize(
    "name", [name for name in PAGES if "feed" not in name and "sitemap" not in name]
)
def test_with_the_page_cache_off_the_cached_furniture_keeps_pages_within_budget(
    client, settings, name
):
    settings.PAGE_CACHE_SECONDS = 0
    site = Site()
    site.grow_to(stories=20, comments=20)
    url = pages(site)[name]
    client.get(url)

    rendered_again = count_queries(client, url)

    # The navigation, Top Categories, About box and Most read cost nothing once cached; what
    # is left is the page's own content.
    cache.clear()
    assert rendered_again <= count_queries(client, url) - 2
