"""Where a comment post comes from: fetch-metadata CSRF protection for the comment form.

Article pages are cached whole and shared by every reader, so their comment form carries no CSRF
token and sets no cookie. Browsers say instead where a request was made (the approach of Go's
`http.CrossOriginProtection` and the Django proposal "Implement Modern CSRF Protection"):

1. `Sec-Fetch-Site: same-origin` -> sent by a page of this site: accepted. Any other value
   (`same-site`, `cross-site`, `none`) is refused, unless its `Origin` is one the site trusts
   explicitly (CSRF_TRUSTED_ORIGINS).
2. No `Sec-Fetch-Site` (an older browser) but an `Origin`: accepted if it is this site's own
   origin (the request's host, which ALLOWED_HOSTS vouches for, or SITE_URL) or a trusted one.
3. Neither header (a very old browser, a privacy proxy that strips both): Django's token check,
   whose refusal (comments.views.csrf_failure) gives the reader the form back with their words.
"""

import logging
from contextlib import suppress
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from django.template.loader import render_to_string
from django.utils.http import is_same_domain
from django.utils.log import log_response
from django.views.decorators.csrf import csrf_exempt

ACCEPTED, REFUSED, UNKNOWN = "accepted", "refused", "unknown"
SECURITY_LOG = logging.getLogger("django.security.csrf")


def _origin_of(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _is_trusted(origin):
    """An origin the site names in CSRF_TRUSTED_ORIGINS (`https://*.example.com` included)."""
    scheme, _, host = origin.partition("://")
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        trusted_scheme, _, trusted_host = trusted.lower().partition("://")
        if scheme == trusted_scheme and (
            host == trusted_host or ("*" in trusted_host and is_same_domain(host, trusted_host[1:]))
        ):
            return True
    return False


def _is_this_site(request, origin):
    own = {_origin_of(settings.SITE_URL)}
    with suppress(DisallowedHost):
        own.add(f"{request.scheme}://{request.get_host()}".lower())
    return origin in own or _is_trusted(origin)


def verdict(request):
    """ACCEPTED, REFUSED, or UNKNOWN (the browser said nothing: the token must decide)."""
    origin = request.headers.get("Origin", "").lower()
    fetch_site = request.headers.get("Sec-Fetch-Site", "").lower()
    if fetch_site:
        if fetch_site == "same-origin" or (origin and _is_trusted(origin)):
            return ACCEPTED
        return REFUSED
    if origin:
        # "null" (a sandboxed frame, a data: page) is nobody's origin, so never ours.
        return ACCEPTED if _is_this_site(request, origin) else REFUSED
    return UNKNOWN


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
