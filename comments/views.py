from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from articles.models import Article
from articles.views import ArticleDetail

from .forms import CommentForm

AWAITING_MODERATION = "Thank you. Your comment will appear once a moderator has approved it."


@require_POST
def post_comment(request, article_id):
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    if not article.allow_comments:
        messages.error(request, "Comments are closed on this story.")
        return HttpResponseRedirect(article.get_absolute_url() + "#comments")

    form = CommentForm(request.POST)
    if form.is_valid():
        if not form.is_bot:
            comment = form.save(commit=False)
            comment.article = article
            comment.ip_address = request.META.get("REMOTE_ADDR") or None
            comment.user_agent = request.headers.get("User-Agent", "")[:300]
            comment.save()
        # A bot gets the same answer as a person, so it learns nothing.
        messages.success(request, AWAITING_MODERATION)
        return HttpResponseRedirect(article.get_absolute_url() + "#comments")

    # Show the story again with the errors and what the reader typed.
    view = ArticleDetail()
    view.setup(request)
    view.object = article
    return view.render_to_response(view.get_context_data(object=article, comment_form=form))
