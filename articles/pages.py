"""A story's page, rendered apart from its view, so other apps can show it without importing a
view: the comments app shows it again with a reader's form and its errors. ArticleDetail renders
through it too, so the two can never differ."""

from django.template.response import TemplateResponse

from pagecache.pages import last_modified

from . import cache_tags
from .models import Article

RELATED_STORIES = 4


def render_article_page(request, article, status=200, **context):
    """The page of `article` (already fetched, with its bylines, tags and corrections): the story,
    its neighbours in its section and related stories, plus `context` for the page's tags."""
    stories = list(
        Article.objects.published().for_listing().around(article, related=RELATED_STORIES)
    )
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


def report_shown(request, stories, *moments):
    """Tell the page cache which `stories` a page shows (their tags: an edit of one makes the
    page again) and when what it shows last changed (its Last-Modified): the newest save or
    publication among `stories`, or any of `moments` (the About box's last edit...)."""
    changes = (max(story.updated_at, story.published_at) for story in stories if story)
    last_modified(request, *changes, *moments)
    cache_tags.shows_stories(request, stories)
