"""A story's page, rendered apart from its view, so other apps can show it without importing a
view: the comments app shows it again with a reader's form and its errors. ArticleDetail renders
through it too, so the two can never differ."""

from django.template.response import TemplateResponse

from pagecache.generations import cached, request_tag_versions
from pagecache.pages import last_modified

from . import cache_tags
from .fragments import Headline, as_headlines, drawn_once, render_fragments
from .furniture import site_furniture
from .models import Article

RELATED_STORIES = 4


def public_story(slug):
    """The public story at `slug` as its page reads it (for_story_page, with its credited
    authors), or None: kept until it changes, as the pages showing it are.

    Which story an address names is kept under the generation (a story published or taken
    down raises it; a new address by an edit in place is checked below, an unknown one never
    kept); the story itself under the generation and its own tag, which every change of it
    raises (an edit in place, a live update; its tags, bylines and corrections raise the
    generation). Reading and building its query was most of what was left of an uncached
    story page (bench/RESULTS.md, issue 14)."""
    from .querysets import attach_topics_and_authors

    def find():
        return Article.objects.published().filter(slug=slug).values_list("pk", flat=True).first()

    def read():
        story = Article.objects.for_story_page().published().filter(pk=pk).first()
        return attach_topics_and_authors(story) if story else None

    pk = cached(f"story-at:{slug}", find, unbounded=True)
    if pk is None:
        return None
    # With its comments' tag, which the page reads next: one cache read for both.
    request_tag_versions([cache_tags.story_id(pk), cache_tags.comments_id(pk)])
    story = cached(f"story:{pk}", read, unbounded=True, tags=[cache_tags.story_id(pk)])
    return story if story is not None and story.slug == slug else None


def render_article_page(request, article, status=200, **context):
    """The page of `article` (already fetched, with its bylines, tags and corrections): the story,
    its neighbours in its section and related stories, plus `context` for the page's tags."""
    rows = read_next(article)
    report_shown(request, [article, *(row for row, _ in rows)])
    cache_tags.carries(request, cache_tags.section(article.category))
    return TemplateResponse(
        request,
        "articles/article_detail.html",
        {
            "object": article,
            "article": article,
            "current_category": article.category,
            "story_html": story_html(article, rows),
            **context,
        },
        status=status,
    )


def story_html(article, read_next_rows):
    """{"head", "social", "top", "bottom", "read_next"}: the story page's parts that show the
    story and its headlines, each drawn once per revision of what it shows (one cache read for
    the four that show the story). The story's body, reading time, byline, corrections, JSON-LD
    and share links were most of an uncached story page's time (bench/RESULTS.md, issue 14).

    Keyed by every field of the story the page read, its section, credited authors, topics
    and corrections (articles/fragments.py); the live stream and the comments are drawn apart."""
    shows = {
        "article": article,
        "about": site_furniture()["about"],
        "topics": tuple((tag.name, tag.slug) for tag in article.tags.all()),
        "notes": tuple((note.kind, note.text, note.created_at) for note in article.notes),
    }
    names = ("head", "social", "top", "bottom")
    html = render_fragments([(f"includes/story/{name}.html", shows) for name in names])
    parts = dict(zip(names, html, strict=True))
    parts["read_next"] = drawn_once(
        "includes/story/read_next.html",
        {"category": article.category, "rows": tuple(read_next_rows)},
        lambda: read_next_context(article, read_next_rows),
    )
    return parts


def read_next_context(article, rows):
    """What includes/story/read_next.html draws, with models made from the headline rows."""
    stories = as_headlines(row for row, _ in rows)
    neighbours = {
        neighbour: story for story, (_, neighbour) in zip(stories, rows, strict=True) if neighbour
    }
    return {
        "category": article.category,
        "related": stories[:RELATED_STORIES],
        "previous_story": neighbours.get(-1),
        "next_story": neighbours.get(1),
    }


def read_next(article):
    """Article.objects.around(article), as [(Headline, neighbour)]: its related stories, then
    its section neighbours (neighbour: -1 previous, 1 next, 0 neither).

    Which stories they are changes only with what raises the generation (a story published,
    taken down, moved to another section or given other tags); an edit in place raises only
    the edited story's tags. So for a public story the choice (ids and order: the costliest
    query of the page) is kept under the generation, and the stories themselves are read by
    their ids, as rows, kept until any story is edited (ANY_STORY), so an edited headline shows
    at once. Kept with the page copies: there are as many as stories readers open."""

    fetched = []

    def as_rows(stories):
        return [
            (Headline(*(getattr(story, name) for name in Headline._fields)), story.neighbour)
            for story in stories
        ]

    def choose():
        stories = Article.objects.published().for_listing().around(article, RELATED_STORIES)
        fetched.extend(as_rows(stories))
        return [(row.id, neighbour) for row, neighbour in fetched]

    if not article.is_public:  # A draft shown to its staff: its edits raise no generation.
        return as_rows(Article.objects.published().for_listing().around(article, RELATED_STORIES))
    chosen = cached(f"read-next:{article.pk}", choose, unbounded=True)

    def read():
        found = {
            row.id: row
            for row in map(
                Headline._make,
                Article.objects.published()
                .filter(pk__in=[pk for pk, _ in chosen])
                .values_list(*Headline._fields),
            )
        }
        # Not gone since (a takedown raises the generation anyway).
        return [(found[pk], neighbour) for pk, neighbour in chosen if pk in found]

    # What they show (headline, address, date) changes only with an edit in place, which
    # raises ANY_STORY. Chosen just now: read in the same query.
    return cached(
        f"read-next-rows:{article.pk}",
        lambda: fetched or read(),
        unbounded=True,
        tags=[cache_tags.ANY_STORY],
    )


def report_shown(request, stories, *moments):
    """Tell the page cache which `stories` a page shows (their tags: an edit of one makes the
    page again) and when what it shows last changed (its Last-Modified): the newest save or
    publication among `stories`, or any of `moments` (the About box's last edit...)."""
    changes = (max(story.updated_at, story.published_at) for story in stories if story)
    last_modified(request, *changes, *moments)
    cache_tags.shows_stories(request, stories)
