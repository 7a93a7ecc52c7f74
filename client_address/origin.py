"""Where a POST comes from, as browsers say it: fetch-metadata CSRF protection for forms on pages
that are cached whole and shared by every reader (so they carry no CSRF token): the comment form
(comments/origin.py) and the newsletter sign-up (newsletters/views.py). One rule for both:

1. `Sec-Fetch-Site: same-origin` -> sent by a page of this site: accepted. Any other value
   (`same-site`, `cross-site`, `none`) is refused, unless its `Origin` is one the site trusts
   explicitly (CSRF_TRUSTED_ORIGINS).
2. No `Sec-Fetch-Site` (an older browser) but an `Origin`: accepted if it is this site's own
   origin (the request's host, which ALLOWED_HOSTS vouches for, or SITE_URL) or a trusted one.
3. Neither header: UNKNOWN; each form decides (comments fall back to Django's token check).
"""

from contextlib import suppress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils.http import is_same_domain

ACCEPTED, REFUSED, UNKNOWN = "accepted", "refused", "unknown"


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
    """ACCEPTED, REFUSED, or UNKNOWN (the browser said nothing: the form decides)."""
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
