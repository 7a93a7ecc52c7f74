"""What search engines and link previews read in a page's <head>: absolute addresses,
Open Graph images and JSON-LD (schema.org) blocks; and the share links under a story.

    {% load seo_tags %}
    {% capture page_title %}{% block title %}…{% endblock %}{% endcapture %}
    {% page_url page_obj.number as canonical %}
    {% news_article_json_ld article %}
"""

import json
from urllib.parse import quote, urlencode

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.images import rendition_names

register = template.Library()

LOGO = ("logo.png", 600, 60)  # static file, width, height
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


@register.simple_tag(takes_context=True)
def page_url(context, number=1):
    """The absolute address of this page, at page `number` of its list.

    The canonical form: ?page=N from the second page on, no other query parameters.
    """
    request = context["request"]
    query = f"?page={number}" if number and int(number) > 1 else ""
    return request.build_absolute_uri(request.path + query)


@register.simple_tag(takes_context=True)
def open_graph_image(context, article):
    """The story's image for link previews, as {url, width, height}; None without one.

    Its widest rendition (at most 1600 pixels), in JPEG or PNG, which every reader of
    Open Graph and JSON-LD understands.
    """
    image = article.featured_image
    if not image:
        return None
    request = context["request"]
    width, height = article.featured_image_width, article.featured_image_height
    renditions = rendition_names(image.name, width)
    if not renditions:
        return {"url": request.build_absolute_uri(image.url), "width": width, "height": height}
    rendition_width, _, fallback = renditions[-1]
    return {
        "url": request.build_absolute_uri(image.storage.url(fallback)),
        "width": rendition_width,
        # Renditions keep the original's proportions (see images.generate_renditions).
        "height": max(1, round(height * rendition_width / width)),
    }


def json_ld(data):
    """`data` as a JSON-LD script element. Like the json_script filter, `<`, `>` and `&` are
    escaped, so no text in it can end the element."""
    text = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text.translate(JSON_ESCAPES))
    )


def _datetime(value):
    return timezone.localtime(value).isoformat(timespec="seconds")


def _publisher(request, about):
    name, width, height = LOGO
    return {
        "@type": "Organization",
        "name": about.site_name,
        "url": request.build_absolute_uri(reverse("articles:front")),
        "logo": {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(static(name)),
            "width": width,
            "height": height,
        },
    }


def _authors(request, article):
    """Schema.org Person objects: the credited authors with their pages, else the byline."""
    credited = [] if article.byline else article.credited_authors
    if credited:
        return [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in credited
        ]
    name = article.byline_text
    return [{"@type": "Person", "name": name}] if name else []


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article):
    """A NewsArticle block: what Google shows of a story in search results and News."""
    request = context["request"]
    url = request.build_absolute_uri(article.get_absolute_url())
    image = open_graph_image(context, article)
    publisher = _publisher(request, context["about"])
    data = {
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.standfirst,
        "image": [image["url"]] if image else [],
        "datePublished": _datetime(article.published_at),
        "dateModified": _datetime(article.last_updated or article.published_at),
        # Unsigned stories are the publisher's own.
        "author": _authors(request, article) or [publisher],
        "publisher": publisher,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "articleSection": article.category.name,
        "keywords": [tag.name for tag in article.tags.all()],
    }
    return json_ld({key: value for key, value in data.items() if value})


@register.simple_tag(takes_context=True)
def breadcrumbs_json_ld(context, *pages):
    """A BreadcrumbList from the front page through `pages` (objects with a name or title
    and get_absolute_url): Home › Section › Story."""
    request = context["request"]
    trail = [("Home", reverse("articles:front"))]
    trail += [
        (getattr(page, "title", None) or page.name, page.get_absolute_url()) for page in pages
    ]
    return json_ld(
        {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "name": name,
                    "item": request.build_absolute_uri(path),
                }
                for position, (name, path) in enumerate(trail, start=1)
            ],
        }
    )


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    """A WebSite block with a SearchAction: the site's name and how to search it."""
    request = context["request"]
    # The placeholder's braces must reach the reader unencoded.
    target = request.build_absolute_uri(reverse("articles:search")) + "?q={search_term_string}"
    return json_ld(
        {
            "@type": "WebSite",
            "name": context["about"].site_name,
            "url": request.build_absolute_uri(reverse("articles:front")),
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": target},
                "query-input": "required name=search_term_string",
            },
        }
    )


@register.inclusion_tag("includes/share_links.html", takes_context=True)
def share_links(context, article):
    """Plain links that share the story by email, on X, Facebook, LinkedIn and WhatsApp:
    nothing is loaded from those services until a reader follows one."""
    url = context["request"].build_absolute_uri(article.get_absolute_url())
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
