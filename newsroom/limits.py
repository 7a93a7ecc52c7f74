"""Request body limits: a body too large for where it is sent is refused with a 413 page before
anything reads it, so an anonymous 300 MB POST costs a worker nothing but its headers.

Readers only ever send small forms (a comment, a sign-in, the reading beacon): MAX_REQUEST_BYTES.
Staff in the admin send images too: MAX_ADMIN_REQUEST_BYTES, an image (images/processing.py
MAX_UPLOAD_BYTES) and the story's text. The proxy in front refuses more than either first
(nginx `client_max_body_size`, docs/deploy.md); these limits hold when something else is in
front, or nothing.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import defaults


def body_limit(request):
    """The most bytes a request may send: the admin's limit for staff in the admin only, so
    that nobody else can make the server stream a large upload to its disk."""
    if request.path.startswith(reverse("admin:index")) and request.user.is_staff:
        return settings.MAX_ADMIN_REQUEST_BYTES
    return settings.MAX_REQUEST_BYTES


def too_large_response(limit):
    html = render_to_string("413.html", {"limit": filesizeformat(limit)})
    response = HttpResponse(html, status=413)
    response["Cache-Control"] = "no-store"
    return response


def declared_length(request):
    """The body's length as the request states it. Django reads no more than this, and nothing
    when it is missing or not a number: 0 then."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


class RequestBodyLimitMiddleware:
    """Placed before anything reads the body (the CSRF check reads the form in process_view,
    after every middleware's __call__) and after AuthenticationMiddleware, to tell staff apart.
    It looks at the headers only: the body is never read here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "CONTENT_LENGTH" not in request.META and "HTTP_TRANSFER_ENCODING" in request.META:
            # A body of unknown length (chunked) that Django would silently drop: a browser
            # always states the length, so only a script sends this. Ask it for the length.
            return HttpResponse(
                "Send the request body with a Content-Length.",
                status=411,
                content_type="text/plain; charset=utf-8",
            )
        length = declared_length(request)
        # The smaller limit first: most requests need no look at who sends them.
        # (Django logs the refusal, as every 4xx: "Content Too Large: /path".)
        if length > settings.MAX_REQUEST_BYTES and length > (limit := body_limit(request)):
            return too_large_response(limit)
        return self.get_response(request)


def bad_request(request, exception):
    """handler400: Django's own refusal of a form with more than DATA_UPLOAD_MAX_MEMORY_SIZE of
    fields (RequestDataTooBig) gets the 413 page too; any other bad request Django's 400."""
    if isinstance(exception, RequestDataTooBig):
        return too_large_response(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return defaults.bad_request(request, exception)
