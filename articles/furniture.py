"""What every page shows around its content (navigation, Top Categories, the About box) and
the archive's months: costly to build, so kept under the page cache's generation.

A scheduled story changes all of it when it falls due, with no save to announce it: the page
cache asks start_generation() when that is (registered in ArticlesConfig.ready()), and the
same query fetches the About box, so a new generation's furniture costs no extra query.
"""

from django.db.models import Subquery

from pagecache.generations import cached, keep

from . import cache_tags
from .models import About, Article, Category


def start_generation(generation):
    """For the page cache, as a generation starts: keep the furniture under it, and return
    when the next scheduled story goes live (None: none is scheduled)."""
    furniture, next_due = _build_furniture()
    keep("furniture", furniture, generation)
    return next_due


def site_furniture():
    """{"about", "nav_categories", "top_categories"}: what every page shows.

    Two queries when not cached (About with the next scheduled story's time; the categories
    with their published counts), none when cached.
    """
    return cached("furniture", lambda: _build_furniture()[0])


def _build_furniture():
    """(the furniture, when the next scheduled story goes live)."""
    next_due = Article.objects.scheduled().order_by("published_at").values("published_at")[:1]
    about = About.objects.annotate(next_due=Subquery(next_due)).filter(pk=1).first()
    if about is None:  # A new site: About.load() creates the row, which raises the generation.
        about = About.load()
        about.next_due = next(iter(next_due.values_list("published_at", flat=True)), None)
    categories = list(Category.objects.with_published_count().order_by("position", "name"))
    furniture = {
        "about": about,
        "nav_categories": categories,
        "top_categories": sorted(
            (category for category in categories if category.published_count),
            key=lambda category: (-category.published_count, category.position, category.name),
        ),
    }
    return furniture, about.next_due


def months_with_stories():
    """ArticleQuerySet.month_counts() of the published stories: grouping the whole archive by
    month is the archive pages' and the sitemaps' one costly query, so it is kept under the
    generation like the furniture."""
    # An edit in place moves a month's newest revision (the sitemaps' dates): ANY_STORY.
    months = Article.objects.published().month_counts()
    return cached("months", lambda: list(months), tags=[cache_tags.ANY_STORY])
