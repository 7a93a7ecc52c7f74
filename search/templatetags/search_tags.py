"""What the search app adds to other pages: how search engines may search the site.

{% load search_tags %}
{% website_json_ld %}
"""

from django import template
from django.urls import reverse

from articles.templatetags.seo_tags import absolute_url, json_ld

register = template.Library()


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    """A WebSite block with a SearchAction: the site's name and how to search it.

    Here rather than beside the other JSON-LD blocks in articles' seo_tags, so that articles
    never names the search page: the front page's template brings the two together."""
    # The placeholder's braces must reach the reader unencoded.
    target = absolute_url(reverse("search:search")) + "?q={search_term_string}"
    return json_ld(
        {
            "@type": "WebSite",
            "name": context["about"].site_name,
            "url": absolute_url(reverse("articles:front")),
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": target},
                "query-input": "required name=search_term_string",
            },
        }
    )
