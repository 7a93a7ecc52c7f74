"""Where a comment post comes from: fetch-metadata CSRF protection for the comment form.

Article pages are cached whole and shared by every reader, so their comment form carries no CSRF
token and sets no cookie. Browsers say instead where a request was made (the approach of Go's
`http.CrossOriginProtection` and the Django proposal "Implement Modern CSRF Protection"):

The rule (client_address/origin.py:verdict, shared with the newsletter sign-up): a browser that
says the post came from a page of this site (`Sec-Fetch-Site: same-origin`, or our `Origin`) is
accepted, one that says another site is refused; one that says neither (a very old browser, a
privacy proxy that strips both) goes through Django's token check, whose refusal
(comments.views.csrf_failure) gives the reader the form back with their words.
"""

import logging
from functools import wraps

from django.http import HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from django.template.loader import render_to_string
from django.utils.log import log_response
from django.views.decorators.csrf import csrf_exempt

# The rule itself is shared with the newsletter sign-up (client_address/origin.py).
from client_address.origin import ACCEPTED, REFUSED, UNKNOWN, verdict  # noqa: F401

SECURITY_LOG = logging.getLogger("django.security.csrf")


def _token_check(request):
    """Django's own CSRF check (token and cookie; Referer over HTTPS). None when it passes, else
    its refusal, from CSRF_FAILURE_VIEW. The view is csrf_exempt, so the middleware skipped it."""
    middleware = CsrfViewMiddleware(lambda request: None)
    return middleware.process_view(request, _token_checked_view, (), {})


def _token_checked_view(request):
    """Stands for the comment view in _token_check: a view that is not exempt."""


def refused(request):
    response = HttpResponseForbidden(
        render_to_string("comments/refused.html", request=request),
        headers={"X-Robots-Tag": "noindex"},
    )
    # Logged where Django logs its own CSRF refusals, for whoever watches for attacks.
    log_response(
        "Forbidden (comment from another site: Sec-Fetch-Site %r, Origin %r): %s",
        request.headers.get("Sec-Fetch-Site"),
        request.headers.get("Origin"),
        request.path,
        response=response,
        request=request,
        logger=SECURITY_LOG,
    )
    return response


def posted_from_this_site(view):
    """Run `view` for a POST only if a page of this site sent it (see the module's docstring);
    GET and HEAD pass.

    Takes the view out of CsrfViewMiddleware's hands: this check replaces it, and still calls
    it for a request that carries neither header.
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            return view(request, *args, **kwargs)  # Changes nothing: a link may open it.
        found = verdict(request)
        if found == REFUSED:
            return refused(request)
        if found == UNKNOWN:
            refusal = _token_check(request)
            if refusal is not None:
                return refusal
        return view(request, *args, **kwargs)

    return wrapper
