from django import template

from ..forms import CommentForm

register = template.Library()


@register.inclusion_tag("comments/comments.html", takes_context=True)
def comments_for(context, article):
    """The approved comments under a story and the form to add one."""
    return {
        "article": article,
        "comments": article.comments.approved(),
        "form": context.get("comment_form") or CommentForm(),
        "messages": context.get("messages"),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
