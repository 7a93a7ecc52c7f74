"""What every page shows around its content (navigation, Top Categories, the About box) and
the archive's months: costly to build, so kept under the page cache's generation.

A scheduled story changes all of it when it falls due, with no save to announce it: the page
cache asks start_generation() when that is (registered in ArticlesConfig.ready()), and the
same query fetches the About box, so a new generation's furniture costs no extra query.
"""

from django.db.models import Subquery
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from pagecache.generations import cached, current_generation, keep

from . import cache_tags
from .fragments import templates_version
from .models import About, Article, Category

# The parts of every page drawn with the furniture (templates/includes/furniture/): nothing in
# them may differ between pages, but for the current section's mark (article_tags.section_nav).
# How many sections the "Top Categories" box lists.
TOP_CATEGORIES = 10
FURNITURE_HTML = ("masthead", "nav", "top_categories", "about_boxes", "footer")
# This process's copy of the current generation's furniture: {generation: furniture}.
_in_process = {}


def start_generation(generation):
    """For the page cache, as a generation starts: keep the furniture under it, and return
    when the next scheduled story goes live (None: none is scheduled)."""
    furniture, next_due = _build_furniture()
    keep(_name(), furniture, generation)
    return next_due


def site_furniture():
    """{"about", "nav_categories", "top_categories", "html"}: what every page shows, "html"
    holding each of FURNITURE_HTML drawn.

    Two queries when not cached (About with the next scheduled story's time; the categories
    with their published counts), none when cached. Each process also keeps the current
    generation's copy: a page then only asks the cache which generation is current, rather
    than fetching and unpickling 40 sections and their HTML again, twice a page.
    """
    generation = current_generation()
    furniture = _in_process.get(generation)
    if furniture is None or generation is None:  # None: the cache is away, nothing is kept
        furniture = cached(_name(), lambda: _build_furniture()[0])
        if "html" not in furniture:
            # Drawn at a page's first need, not as the generation starts: its links need the
            # site's URLs, which the page cache's own requests may not have.
            furniture = {**furniture, "html": _draw(furniture)}
            if generation is not None:
                keep(_name(), furniture, generation)
        _in_process.clear()
        _in_process[generation] = furniture
    return furniture


def _name():
    """The furniture's name in the cache: a new deploy's templates are drawn at once."""
    return f"furniture:{templates_version()}"


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
        # The busiest few, as the box says: every section is in the navigation above, and a
        # newsroom of 40 sections would repeat all 40 on every page (2.5 KB of the story page).
        "top_categories": sorted(
            (category for category in categories if category.published_count),
            key=lambda category: (-category.published_count, category.position, category.name),
        )[:TOP_CATEGORIES],
    }
    return furniture, about.next_due


def _draw(furniture):
    """FURNITURE_HTML drawn: once per generation, rather than on every page (80 links)."""
    return {
        name: mark_safe(render_to_string(f"includes/furniture/{name}.html", furniture).strip())
        for name in FURNITURE_HTML
    }


def months_with_stories(revised=False):
    """ArticleQuerySet.month_counts() of the published stories: grouping the whole archive by
    month is the archive pages' and the sitemaps' one costly query (70 ms on the bench), so it
    is kept under the generation like the furniture. `revised`: with each month's newest
    revision too (the sitemaps' dates, the archive's Last-Modified), which an edit in place
    moves (ANY_STORY): read apart, so that an edit does not count the whole archive again
    for every archive page (bench/RESULTS.md, issue 14)."""
    published = Article.objects.published()
    months = cached("months", lambda: list(published.month_counts()))
    if not revised:
        return months
    revisions = cached(
        "months-revised", lambda: dict(published.month_revisions()), tags=[cache_tags.ANY_STORY]
    )
    return [{**row, "revised": revisions.get(row["month"])} for row in months]
