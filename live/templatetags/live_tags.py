"""A live story's parts on reader pages, plugged in through template tags (articles never
imports live): the stream under the story, the key events under the front page's lead, and the
LiveBlogPosting JSON-LD in place of the story's NewsArticle.

    {% load live_tags %}
    {% live_stream article %}   {% live_key_events story %}   {% live_blog_json_ld article %}
"""

from django import template
from django.utils.safestring import mark_safe

from articles.templatetags.seo_tags import (
    _authors,
    _publisher,
    absolute_url,
    html_datetime,
    json_ld,
    open_graph_image,
)

from .. import stream
from ..models import LiveEntry, plain_text

register = template.Library()

# Google reads this many of the newest updates; the page shows them all.
JSON_LD_UPDATES = 50


@register.inclusion_tag("live/tags/stream.html")
def live_stream(article):
    """Every entry, pinned first then newest first, drawn from the cache (stream.py), with what
    the page's script needs to follow the stream."""
    found = stream.state(article.pk) if article.live_since else None
    if found is None:
        return {"article": article, "state": None}
    # Drawn by our templates (stream.py) and kept as plain strings by the cache.
    entries = [mark_safe(found["html"][pk]) for pk in found["order"]]
    pinned = set(found["pinned"])
    return {
        "article": article,
        "state": found,
        "summary": mark_safe(found["summary"]),
        "pinned_html": [
            html for pk, html in zip(found["order"], entries, strict=True) if pk in pinned
        ],
        "stream_html": [
            html for pk, html in zip(found["order"], entries, strict=True) if pk not in pinned
        ],
    }


@register.inclusion_tag("live/tags/key_events.html")
def live_key_events(article):
    """Under the front page's lead: its latest key events, kept up to date as on its page."""
    found = stream.state(article.pk) if article and article.live_since else None
    summary = mark_safe(found["summary"]) if found else ""  # Drawn by our template.
    return {"article": article, "state": found, "summary": summary}


@register.simple_tag(takes_context=True)
def live_blog_json_ld(context, article):
    """A LiveBlogPosting block (Google's live blog structured data): the coverage's start and
    end, and the newest updates as BlogPosting items, each with its own address."""
    entries = list(
        LiveEntry.objects.filter(article=article).order_by("-posted_at", "-pk")[:JSON_LD_UPDATES]
    )
    for entry in entries:
        entry.article = article
    publisher = _publisher(context["about"])
    authors = _authors(article) or [publisher]
    image = [open_graph_image(article)["url"]] if article.featured_image else []
    modified = max(
        [article.last_updated or article.published_at]
        + [entry.updated_at or entry.posted_at for entry in entries]
    )
    data = {
        "@type": "LiveBlogPosting",
        "headline": article.title,
        "description": article.standfirst,
        "url": absolute_url(article.get_absolute_url()),
        "image": image,
        "datePublished": html_datetime(article.published_at),
        "dateModified": html_datetime(modified),
        "coverageStartTime": html_datetime(article.live_since),
        "coverageEndTime": html_datetime(article.live_until),
        "author": authors,
        "publisher": publisher,
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": entry.title[:110],
                "url": absolute_url(entry.get_absolute_url()),
                "datePublished": html_datetime(entry.posted_at),
                "dateModified": html_datetime(entry.updated_at or entry.posted_at),
                "articleBody": plain_text(entry.body),
                "author": authors,
                "publisher": publisher,
                **({"image": image} if image else {}),
            }
            for entry in entries
        ],
    }
    return json_ld({key: value for key, value in data.items() if value})
