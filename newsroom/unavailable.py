"""The "back in a moment" page: a 503 instead of a server error while the database is away.

Django reconnects by itself once the database answers again (connections are health-checked
before reuse, see DATABASES in settings), so all a request can do meanwhile is say so politely,
with `Retry-After`, and without touching the database: the page is rendered with no request,
hence none of the site's context processors and their queries.
"""

import logging
import math
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# What the database driver raises when the server cannot be reached or the connection broke.
UNAVAILABLE = (OperationalError, InterfaceError)

PLAIN_PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Back in a moment</title>"
    "<h1>We will be back in a moment</h1><p>Please try again in a minute.</p></html>"
)


def unavailable_response():
    retry_after = settings.DATABASE_RETRY_AFTER
    try:
        html = render_to_string("503.html", {"minutes": math.ceil(retry_after / 60)})
    except Exception:
        # robust: whatever breaks the template (a missing static manifest entry, say), the
        # reader still gets the 503 and its Retry-After rather than a server error.
        logger.exception("The 503 page could not be rendered; sent a plain one.")
        html = PLAIN_PAGE
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(retry_after)
    # Neither a browser nor a cache in front may keep this answer once the database is back.
    response["Cache-Control"] = "no-store"
    return response


def _mark_request(sender, request=None, **kwargs):
    """Django turns an exception raised in a middleware (a session saved, a user looked up) into
    a 500 response at that middleware's own layer, so no outer middleware ever sees it raised:
    note it on the request for DatabaseUnavailableMiddleware to find on the way out."""
    error = sys.exception()
    if request is not None and isinstance(error, UNAVAILABLE):
        request.database_unavailable = error


got_request_exception.connect(_mark_request, dispatch_uid="newsroom.unavailable")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Raised by a middleware further in: Django has logged it and made a 500 of it already.
        if response.status_code == 500 and getattr(request, "database_unavailable", None):
            return unavailable_response()
        return response

    def process_exception(self, request, exception):
        """Raised by a view (or while rendering its page), the usual case: one line in the log."""
        if not isinstance(exception, UNAVAILABLE):
            return None
        logger.warning(
            "Database unavailable, answered 503 to %s %s: %s",
            request.method,
            request.path,
            str(exception).strip() or type(exception).__name__,
        )
        return unavailable_response()
