"""The "back in a moment" page: a 503 instead of a server error while the database is away.

Django reconnects by itself once the database answers again (connections are health-checked
before reuse, see DATABASES in settings), so all a request can do meanwhile is say so politely,
with `Retry-After`, and without touching the database: the page is rendered with no request,
hence none of the site's context processors and their queries.

A database that hangs rather than refuses would make every request wait for it: the PostgreSQL
backend (newsroom/postgresql/base.py) bounds each wait, and after a failure DatabaseOutage, a
circuit breaker, keeps the process from trying again for a moment, so that what needs the
database fails at once while what does not (pages from the page cache, /healthz) is served.
"""

import logging
import math
import sys
import threading
import time

from django.conf import settings
from django.core.signals import got_request_exception, request_finished, request_started
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


# --- Requests and management commands ---------------------------------------------------------

_request = threading.local()


def serving_request():
    """Whether this thread is serving a web request (rather than running a management command):
    only then does a statement get DATABASE_STATEMENT_TIMEOUT."""
    return getattr(_request, "serving", False)


def _request_started(sender, **kwargs):
    _request.serving = True


def _request_finished(sender, **kwargs):
    _request.serving = False


request_started.connect(_request_started, dispatch_uid="newsroom.unavailable.started")
request_finished.connect(_request_finished, dispatch_uid="newsroom.unavailable.finished")


# --- The circuit breaker ----------------------------------------------------------------------


class DatabaseOutage:
    """What this process knows about its database being away, shared by its threads.

    After a failure to connect or to get an answer, nobody tries for DATABASE_RETRY_PAUSE
    seconds; then one caller tries (the others go on failing at once until it has its answer).
    Each gunicorn worker keeps its own record: every worker pays one connect timeout per pause,
    not one per request.
    """

    def __init__(self, alias):
        self.alias = alias
        self.lock = threading.Lock()
        self.paused_until = 0.0
        self.error = None  # The last failure, while the database is away.

    def may_try(self):
        with self.lock:
            now = time.monotonic()
            if now < self.paused_until:
                return False
            if self.error is not None:
                # This caller tries; the others wait for its verdict.
                self.paused_until = now + settings.DATABASE_RETRY_PAUSE
            return True

    def failed(self, error):
        with self.lock:
            self.paused_until = time.monotonic() + settings.DATABASE_RETRY_PAUSE
            first, self.error = self.error is None, str(error).strip() or type(error).__name__
        if first:
            logger.warning(
                "Database %r unavailable (%s): not tried again for %s s at a time.",
                self.alias,
                self.error,
                settings.DATABASE_RETRY_PAUSE,
            )

    def recovered(self):
        if self.error is None:  # The usual case, without taking the lock.
            return
        with self.lock:
            self.error, self.paused_until = None, 0.0
        logger.warning("Database %r answers again.", self.alias)


_outages = {}
_outages_lock = threading.Lock()


def database_outage(alias):
    with _outages_lock:
        return _outages.setdefault(alias, DatabaseOutage(alias))


def reset_outages():
    """Forget past failures (for tests)."""
    with _outages_lock:
        _outages.clear()


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
