"""What search engines and link previews read in a page's <head>: absolute addresses,
Open Graph images and JSON-LD (schema.org) blocks; and the share links under a story.

Every absolute address starts with settings.SITE_URL, never with the Host a request came
with: a site reachable under two names (or moved to a new one) gives one canonical address.

    {% load seo_tags %}
    {% capture page_title %}{% block title %}…{% endblock %}{% endcapture %}
    {% page_url page_obj.number as canonical %}
    {% news_article_json_ld article %}
    <time datetime="{{ story.published_at|html_datetime }}">
"""

import json
from urllib.parse import quote, urlencode, urlsplit

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from images.processing import rendition_names

register = template.Library()

LOGO = ("logo.png", 600, 60)  # static file, width, height
# The link-preview image of pages without one of their own (lists, About, stories without a
# picture): the site's name on its colour, at the size Open Graph readers prefer.
DEFAULT_IMAGE = ("img/og-default.png", 1200, 630)
# What keeps JSON inside <script> from closing the element or opening markup.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser, token):
    """Render the enclosed template into a variable, to use it more than once:
    the title block as <title> and as og:title.

        {% capture page_title %}{% block title %}{% endblock %}{% endcapture %}
    """
    try:
        _, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("Usage: {% capture name %}…{% endcapture %}") from None
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, name)


@register.simple_tag
def absolute_url(path):
    """`path` (or an address already absolute, as on a CDN) at the site's canonical address."""
    if urlsplit(path).scheme:
        return path
    return settings.SITE_URL + path


@register.filter
def html_datetime(value):
    """An aware datetime as HTML's <time datetime> takes it, to the second in the site's time
    zone (2026-12-06T02:03:15+00:00): HTML allows at most three digits of a second's
    fraction, and `|date:"c"` writes six."""
    if not value:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")


@register.simple_tag(takes_context=True)
def page_url(context, number=1):
    """The absolute address of this page, at page `number` of its list.

    The canonical form: the parameters that choose what the page lists (a search's words
    and filters, which a view passes as `canonical_query`), then ?page=N from the second
    page on; no other query parameters (campaign tags, reply links).
    """
    query = {name: value for name, value in context.get("canonical_query", {}).items() if value}
    if number and int(number) > 1:
        query["page"] = number
    path = context["request"].path
    return absolute_url(iri_to_uri(path) + (f"?{urlencode(query)}" if query else ""))


@register.simple_tag
def open_graph_image(article=None):
    """The image for link previews, as {url, width, height, alt}: the story's own, else the
    site's default.

    A story's is its widest rendition (at most 1600 pixels), in JPEG or PNG, which every
    reader of Open Graph and JSON-LD understands.
    """
    image = article.featured_image if article else None
    if not image:
        name, width, height = DEFAULT_IMAGE
        return {"url": absolute_url(static(name)), "width": width, "height": height, "alt": ""}
    width, height = article.featured_image_width, article.featured_image_height
    alt = article.featured_image_alt
    renditions = rendition_names(image.name, width)
    if not renditions:
        return {"url": absolute_url(image.url), "width": width, "height": height, "alt": alt}
    rendition_width, _, fallback = renditions[-1]
    return {
        "url": absolute_url(image.storage.url(fallback)),
        "alt": alt,
        "width": rendition_width,
        # Renditions keep the original's proportions (images/processing.py).
        "height": max(1, round(height * rendition_width / width)),
    }


def json_ld(data):
    """`data` as a JSON-LD script element. Like the json_script filter, `<`, `>` and `&` are
    escaped, so no text in it can end the element."""
    text = json.dumps(
        {"@context": "https://schema.org", **data}, ensure_ascii=False, separators=(",", ":")
    )
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text.translate(JSON_ESCAPES))
    )


def _publisher(about):
    name, width, height = LOGO
    return {
        "@type": "Organization",
        "name": about.site_name,
        "url": absolute_url(reverse("articles:front")),
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(static(name)),
            "width": width,
            "height": height,
        },
    }


def _authors(article):
    """Schema.org Person objects: the credited authors with their pages, else the byline."""
    credited = [] if article.byline else article.credited_authors
    if credited:
        return [
            {
                "@type": "Person",
                "name": author.name,
                "url": absolute_url(author.get_absolute_url()),
            }
            for author in credited
        ]
    name = article.byline_text
    return [{"@type": "Person", "name": name}] if name else []


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article):
    """A NewsArticle block: what Google shows of a story in search results and News.

    Only the properties Google's Article documentation asks for, and the publisher: the page
    says the rest once already (its description, canonical address, section and tags in the
    <head>), and a story's page stays light (issue 14)."""
    publisher = _publisher(context["about"])
    data = {
        "@type": "NewsArticle",
        "headline": article.title,
        "image": [open_graph_image(article)["url"]] if article.featured_image else [],
        "datePublished": html_datetime(article.published_at),
        "dateModified": html_datetime(article.last_updated or article.published_at),
        # Unsigned stories are the publisher's own.
        "author": _authors(article) or [publisher],
        "publisher": publisher,
    }
    return json_ld({key: value for key, value in data.items() if value})


@register.simple_tag
def breadcrumbs_json_ld(*pages):
    """A BreadcrumbList from the front page through `pages` (objects with a name or title
    and get_absolute_url): Home › Section › Story."""
    trail = [("Home", reverse("articles:front"))]
    trail += [
        (getattr(page, "title", None) or page.name, page.get_absolute_url()) for page in pages
    ]
    return json_ld(
        {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "name": name}
                # The last is this page: Google takes its address from the page.
                | ({"item": absolute_url(path)} if position < len(trail) else {})
                for position, (name, path) in enumerate(trail, start=1)
            ],
        }
    )


@register.inclusion_tag("articles/tags/share_links.html")
def share_links(article):
    """Plain links that share the story by email, on X, Facebook, LinkedIn and WhatsApp:
    nothing is loaded from those services until a reader follows one. They carry the story's
    short address (articles:short), which each link repeats: a lighter page, a tidier message."""
    url = absolute_url(reverse("articles:short", args=[article.pk]))
    title = article.title

    def link(service, preposition, address, **params):
        return {
            "service": service,
            "preposition": preposition,
            "url": address + "?" + urlencode(params, quote_via=quote),
        }

    return {
        "links": [
            link("Email", "by", "mailto:", subject=title, body=url),
            link("X", "on", "https://x.com/intent/tweet", text=title, url=url),
            link("Facebook", "on", "https://www.facebook.com/sharer/sharer.php", u=url),
            link("LinkedIn", "on", "https://www.linkedin.com/sharing/share-offsite/", url=url),
            link("WhatsApp", "on", "https://wa.me/", text=f"{title} {url}"),
        ]
    }
