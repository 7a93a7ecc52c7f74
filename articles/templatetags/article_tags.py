from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles import fragments

register = template.Library()


@register.simple_tag
def elided_page_range(page_obj):
    """Page numbers around the current one, with … for the gaps: 1 … 4 5 [6] 7 8 … 40."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)


@register.simple_tag
def story_fragments(template_name, stories, **options):
    """Each story drawn with `template_name` once per revision (articles/fragments.py):

    {% story_fragments "includes/article_card.html" related show_category=True as cards %}
    """
    return fragments.story_fragments(template_name, stories, **options)


@register.simple_tag(takes_context=True)
def story_list(context, stories, show_category=False):
    """A page of stories as {"lead", "cards"}: on the first page the newest leads, large; the
    rest are cards with pictures and bylines. Drawn once per revision, one cache read.
    `stories`: card rows (fragments.card_rows), as every list page reads its stories."""
    page_obj = context.get("page_obj")
    stories = list(stories)
    lead = stories[:1] if page_obj is None or page_obj.number == 1 else []
    options = {"level": 2, "show_category": bool(show_category)}
    card = {**options, "show_image": True, "show_byline": True}
    drawn = [("includes/lead_story.html", {"story": story, **options}) for story in lead] + [
        ("includes/article_card.html", {"story": story, **card}) for story in stories[len(lead) :]
    ]
    html = fragments.story_cards(drawn)
    return {"lead": html[0] if lead else "", "cards": html[len(lead) :]}


@register.simple_tag(takes_context=True)
def section_nav(context):
    """The sections' navigation, drawn once per generation with the furniture, with the link
    to the page's own section (or to the front page, on it) marked aria-current."""
    furniture_html = context.get("furniture_html")  # articles.context_processors.site
    if furniture_html is None:  # As the page's other furniture: nothing, not an error.
        return ""
    html = furniture_html["nav"]
    current = context.get("current_category")
    match = getattr(context.get("request"), "resolver_match", None)
    if current is not None:
        href = current.get_absolute_url()
    elif match is not None and match.view_name == "articles:front":
        href = reverse("articles:front")
    else:
        return html
    link = f'<li><a href="{escape(href)}"'
    return mark_safe(html.replace(link, f'{link} aria-current="page"', 1))
