"""A story's page, rendered apart from its view, so other apps can show it without importing a
view: the comments app shows it again with a reader's form and its errors. ArticleDetail renders
through it too, so the two can never differ."""

from django.template.response import TemplateResponse

from pagecache.generations import cached
from pagecache.pages import last_modified

from . import cache_tags
from .models import Article

RELATED_STORIES = 4


def render_article_page(request, article, status=200, **context):
    """The page of `article` (already fetched, with its bylines, tags and corrections): the story,
    its neighbours in its section and related stories, plus `context` for the page's tags."""
    stories = read_next(article)
    neighbours = {story.neighbour: story for story in stories if story.neighbour}
    report_shown(request, [article, *stories])
    cache_tags.carries(request, cache_tags.section(article.category))
    return TemplateResponse(
        request,
        "articles/article_detail.html",
        {
            "object": article,
            "article": article,
            "current_category": article.category,
            "related": stories[:RELATED_STORIES],
            "previous_story": neighbours.get(-1),
            "next_story": neighbours.get(1),
            **context,
        },
        status=status,
    )


def read_next(article):
    """Article.objects.around(article): its related stories, then its section neighbours
    (each with `neighbour`: -1 previous, 1 next, 0 neither).

    Which stories they are changes only with what raises the generation (a story published,
    taken down, moved to another section or given other tags); an edit in place raises only
    the edited story's tag. So for a public story the choice (ids and order: the costliest query
    of the page) is kept under the generation, and the stories themselves are read fresh by
    their ids, so an edited headline shows at once. Kept with the page copies: there are as
    many as stories readers open."""

    fetched = []

    def choose():
        stories = Article.objects.published().for_listing().around(article, RELATED_STORIES)
        fetched.extend(stories)
        return [(story.pk, story.neighbour) for story in fetched]

    if not article.is_public:  # A draft shown to its staff: its edits raise no generation.
        return list(Article.objects.published().for_listing().around(article, RELATED_STORIES))
    chosen = cached(f"read-next:{article.pk}", choose, unbounded=True)
    if fetched:  # Chosen just now, in the same query: nothing more to read.
        return fetched
    found = Article.objects.published().for_listing().in_bulk([pk for pk, _ in chosen])
    stories = []
    for pk, neighbour in chosen:
        if pk in found:  # Not gone since (a takedown raises the generation anyway).
            found[pk].neighbour = neighbour
            stories.append(found[pk])
    return stories


def report_shown(request, stories, *moments):
    """Tell the page cache which `stories` a page shows (their tags: an edit of one makes the
    page again) and when what it shows last changed (its Last-Modified): the newest save or
    publication among `stories`, or any of `moments` (the About box's last edit...)."""
    changes = (max(story.updated_at, story.published_at) for story in stories if story)
    last_modified(request, *changes, *moments)
    cache_tags.shows_stories(request, stories)
