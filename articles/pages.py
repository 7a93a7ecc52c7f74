"""A story's page, rendered apart from its view, so other apps can show it without importing a
view: the comments app shows it again with a reader's form and its errors. ArticleDetail renders
through it too, so the two can never differ."""

from django.template.response import TemplateResponse

from pagecache.generations import cached
from pagecache.pages import last_modified

from .models import Article

RELATED_STORIES = 4


def render_article_page(request, article, status=200, **context):
    """The page of `article` (already fetched, with its bylines, tags and corrections): the story,
    its neighbours in its section and related stories, plus `context` for the page's tags."""
    stories = read_next(article)
    neighbours = {story.neighbour: story for story in stories if story.neighbour}
    report_last_modified(request, [article, *stories])
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
    """Article.objects.around(article): its related stories and section neighbours.

    A public story's are kept under the content generation: they change with other stories
    (any of which raises it), and the query is the costliest part of the page to build. Kept
    with the page copies (unbounded): there are as many as stories readers open."""

    def fetch():
        return list(
            Article.objects.published().for_listing().around(article, related=RELATED_STORIES)
        )

    if not article.is_public:  # A draft shown to its staff: its edits raise no generation.
        return fetch()
    return cached(f"read-next:{article.pk}", fetch, unbounded=True)


def report_last_modified(request, stories, *moments):
    """Tell the page cache when what a page shows last changed (its Last-Modified): the newest
    save or publication among `stories`, or any of `moments` (the About box's last edit...)."""
    changes = (max(story.updated_at, story.published_at) for story in stories if story)
    last_modified(request, *changes, *moments)
