"""Telling a CDN or Varnish in front which pages changed, by the tags the pages carry.

Every page the page cache shares goes out with its tags (middleware.py: Cache-Tag for
Cloudflare, Surrogate-Key for Fastly, xkey for Varnish), and every raise of a tag or of the
generation (generations.py) is sent here once its transaction commits: the HTTP cache in front
drops exactly the pages that carry a raised tag, or every page (SITE_TAG) for the generation.

PAGE_CACHE_PURGE says which kind is in front ("" for none: nothing is sent). A purge that may
be stale (an edit) is soft where the kind has one: the old copy is served a moment longer while
a new one is fetched (Varnish's grace, Fastly's soft purge). One that took something away
(unpublished, withdrawn) is hard.

A purge is bounded (PURGE_SECONDS for all of its requests) and never fails the change that
caused it: an error is logged, and the copies in front then expire by themselves (their TTL is
at most PAGE_CACHE_SECONDS: middleware.py's Surrogate-Control).
"""

import http.client
import json
import logging
import time
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

# All the requests of one purge together; an editor's save waits for them.
PURGE_SECONDS = 2.0
FASTLY_API = "https://api.fastly.com"
CLOUDFLARE_API = "https://api.cloudflare.com"


def purge(tags, *, hard):
    """Ask the HTTP cache in front (PAGE_CACHE_PURGE) to drop the pages carrying `tags`."""
    kind = getattr(settings, "PAGE_CACHE_PURGE", "")
    if not kind or not tags:
        return
    deadline = time.monotonic() + PURGE_SECONDS
    for method, url, headers, body in _requests(kind, sorted(tags), hard):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            logger.error("Purge of %s at %s skipped: out of time", " ".join(tags), url)
            continue
        try:
            status = _send(method, url, headers, body, remaining)
        except (OSError, http.client.HTTPException) as error:
            logger.error("Purge of %s at %s failed: %s", " ".join(tags), url, error)
            continue
        if not 200 <= status < 300:
            logger.error("Purge of %s at %s answered %s", " ".join(tags), url, status)


def _requests(kind, tags, hard):
    """(method, url, headers, body) of each request a purge of `tags` makes."""
    token = getattr(settings, "PAGE_CACHE_PURGE_TOKEN", "")
    zone = getattr(settings, "PAGE_CACHE_PURGE_ZONE", "")
    urls = getattr(settings, "PAGE_CACHE_PURGE_URLS", [])
    if kind == "varnish":
        # deploy/varnish/newsroom.vcl: the xkey vmod's purge, for each Varnish in front.
        header = "xkey-purge" if hard else "xkey-softpurge"
        return [("PURGE", url, {header: " ".join(tags)}, None) for url in urls]
    if kind == "fastly":
        headers = {"Fastly-Key": token, "Surrogate-Key": " ".join(tags)}
        if not hard:
            headers["Fastly-Soft-Purge"] = "1"
        base = (urls or [FASTLY_API])[0].rstrip("/")
        return [("POST", f"{base}/service/{zone}/purge", headers, None)]
    if kind == "cloudflare":  # Cloudflare has no soft purge.
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        base = (urls or [CLOUDFLARE_API])[0].rstrip("/")
        body = json.dumps({"tags": tags}).encode()
        return [("POST", f"{base}/client/v4/zones/{zone}/purge_cache", headers, body)]
    raise ValueError(f"Unknown PAGE_CACHE_PURGE: {kind!r}")


def _send(method, url, headers, body, timeout):
    """The status of one request: no proxy, no redirect followed."""
    address = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if address.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(address.hostname, address.port, timeout=timeout)
    try:
        connection.request(method, address.path or "/", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()
