from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def messages_here(context):
    """The messages to show at this place on the page.

    A message may name the place it belongs to in its extra_tags (the comments app adds its own
    with extra_tags="comments", to be shown in the comments section, beside the form it is
    about). A place is chosen with `messages_place` in the context; with none, these are the
    messages that name no place, shown at the top of the page.
    """
    place = context.get("messages_place") or ""
    return [
        message for message in context.get("messages") or () if (message.extra_tags or "") == place
    ]
