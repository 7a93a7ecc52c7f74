from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from django.views.static import serve

from newsdesk.views import upload_body_image

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Newsroom"
# The changelists need the width more than a second menu does.
admin.site.enable_nav_sidebar = False
# A form too large for Django's DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 page, not a bare 400.
handler400 = "newsroom.limits.bad_request"


@never_cache
def healthz(request):
    """Liveness for load balancers, and the benchmark's ceiling: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """Readiness for load balancers and deploys: 503 while the database does not answer.

    Quick even when the database hangs: while the process leaves a failed database alone
    (DATABASE_RETRY_PAUSE) the answer is immediate, and otherwise the check waits at most
    DATABASE_CONNECT_TIMEOUT seconds (newsroom/postgresql/base.py). It does try again after
    each pause, so a server taken out of the load balancer comes back by itself.

    A cache that does not answer is reported but not fatal: the site serves uncached
    without it (pagecache/backends.py), and failing every server's check during a Redis
    outage would take the whole site down instead.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("unavailable: database", content_type="text/plain", status=503)
    try:
        cache.set("readyz", "ok", 10)
        cache_ok = cache.get("readyz") == "ok"
    except Exception:  # noqa: BLE001 - any backend error means the cache is not usable.
        cache_ok = False
    if not cache_ok:
        return HttpResponse("ok, without the cache (serving uncached)", content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Before the admin's own URLs, which answer 404 for any address they do not know; under
    # /admin/ for the admin's request size limit (newsroom/limits.py).
    path("admin/body-images/upload/", upload_body_image, name="body-image-upload"),
    path("admin/", admin.site.urls),
    path("comments/", include("comments.urls")),
    path("newsletters/", include("newsletters.urls")),
    path("search/", include("search.urls")),
    path("most-read/", include("mostread.urls")),
    path("live/", include("live.urls")),
    path("", include("syndication.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
