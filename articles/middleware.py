"""Addresses from the site the stories were imported from keep working."""

from urllib.parse import unquote

from django.http import HttpResponsePermanentRedirect

from .models import Article, LegacyRedirect


class LegacyRedirectMiddleware:
    """301-redirect old WordPress addresses of public stories to their new ones.

    - `/?p=123`, WordPress's permanent short link, finds the story by `wordpress_id`. Only on
      the site's root, as WordPress writes it: elsewhere `p` may mean something else (the
      admin's lists use it for the page number).
    - Any other address the site does not know (a 404) is looked up in LegacyRedirect, which
      the importer fills with each post's old permalink.

    Drafts and scheduled stories are never revealed: their old addresses stay 404s.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path == "/":
            article = self.short_link_target(request.GET.get("p", ""))
            if article is not None:
                return HttpResponsePermanentRedirect(article.get_absolute_url())
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            article = self.legacy_target(request.path)
            # request.path is decoded (/…/қазақ/), the story's address percent-encoded: compare
            # like with like, or a stale 404 at the story's own address would loop.
            if article is not None and unquote(article.get_absolute_url()) != request.path:
                return HttpResponsePermanentRedirect(article.get_absolute_url())
        return response

    @staticmethod
    def short_link_target(post_id):
        if not post_id.isdigit() or len(post_id) > 19:
            return None
        return Article.objects.published().filter(wordpress_id=int(post_id)).first()

    @staticmethod
    def legacy_target(path):
        # The old address with or without its final slash, as readers type either.
        paths = {path, path.rstrip("/") or "/", path if path.endswith("/") else path + "/"}
        legacy = (
            LegacyRedirect.objects.filter(
                old_path__in=paths, article__in=Article.objects.published()
            )
            .select_related("article")
            .first()
        )
        return legacy.article if legacy else None
