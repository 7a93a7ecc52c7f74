"""Old addresses of stories keep working: one table of old path → story, behind one fallback.

Like django.contrib.redirects, a `Redirect` row is only looked at when the site has nothing
at an address (a 404), so a row can never hide a live page. Rows come from two places:

- a published story's slug changes (`Article.save`): its old address is recorded;
- the WordPress importer: each post's old permalink and its short link `/?p=ID`.

Only public stories are redirected to: the old address of a draft or of a scheduled story
stays a 404, as if it never existed.
"""

from urllib.parse import unquote

from django.db import models
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, get_script_prefix, resolve

from .models import Article

# WordPress's permanent short link `/?p=123`: only on the site's root, as WordPress writes it.
# Elsewhere `p` may mean something else (the admin's lists use it for the page number).
SHORT_LINK_PARAMETER = "p"


def short_link(post_id):
    """The Redirect path of WordPress's short link to post `post_id`."""
    return f"/?{SHORT_LINK_PARAMETER}={post_id}"


class RedirectQuerySet(models.QuerySet):
    def remember(self, old_path, article):
        """`old_path` (decoded, as `request.path` has it) leads to `article` from now on."""
        self.update_or_create(old_path=old_path, defaults={"article": article})

    def target(self, path):
        """The public story an unknown `path` used to be, or None."""
        if "\x00" in path or len(path) > Redirect._meta.get_field("old_path").max_length:
            # Never a stored address (PostgreSQL refuses NUL in text): the 404 stands.
            return None
        public = self.filter(article__in=Article.objects.published()).select_related("article")
        # The old address with or without its final slash, as readers type either.
        paths = {path, path.rstrip("/") or "/", path if path.endswith("/") else path + "/"}
        found = public.filter(old_path__in=paths).first()
        if found is None and (slug := _story_slug(path)):
            # A story's address carries its date, which may have moved since the old address
            # was recorded (or was shared): its old slug at any date still finds it. The
            # latest row wins, as the last story to leave the slug is the one readers mean.
            same_slug = public.filter(old_path__endswith=f"/{slug}/")
            found = same_slug.order_by("-created_at", "-pk").first()
        return found.article if found else None


class Redirect(models.Model):
    """An address a story had before: on this site before a rename, or on the site it was
    imported from. The story's own address always wins over a row here."""

    old_path = models.CharField(
        max_length=500,
        unique=True,
        help_text="The old address without the domain, e.g. /2024/03/04/old-name/ or /?p=123.",
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_path"]

    def __str__(self):
        return f"{self.old_path} → {self.article_id}"


def _story_slug(path):
    """The slug of a story-shaped address (/2026/03/05/slug/), else None."""
    prefix = get_script_prefix()  # request.path has it; the URLconf does not.
    try:
        match = resolve("/" + path.removeprefix(prefix))
    except Resolver404:
        return None
    return match.kwargs.get("slug") if match.view_name == "articles:detail" else None


class RedirectFallbackMiddleware:
    """301 from an old address to where its story lives now, when the site has nothing there.

    Above the page cache, so that it sees cached 404s too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        post_id = request.GET.get(SHORT_LINK_PARAMETER, "")
        # The front page ignores `p`, so a short link would never be a 404: look before.
        if request.path == "/" and post_id.isascii() and post_id.isdigit() and len(post_id) < 20:
            # As a number, as WordPress reads it: /?p=010 is post 10.
            article = Redirect.objects.target(short_link(int(post_id)))
            if article is not None:
                return HttpResponsePermanentRedirect(article.get_absolute_url())
        response = self.get_response(request)
        if response.status_code == 404:
            article = Redirect.objects.target(request.path)
            # request.path is decoded (/…/қазақ/), the story's address percent-encoded: compare
            # like with like, or a stale 404 at the story's own address would loop.
            if article is not None and unquote(article.get_absolute_url()) != request.path:
                return HttpResponsePermanentRedirect(article.get_absolute_url())
        return response
