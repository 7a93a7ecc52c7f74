"""How long a client must wait before an action is allowed again: one fixed-window limit for
every rate limit of the site (comment posts, reports, newsletter sign-ups)."""

import math
import time

from django.core.cache import cache

from . import bucket


def seconds_until_allowed(scope, ip, rate):
    """Count one `scope` action (e.g. "comments:posts") from `ip` against `rate`, a
    (limit, period in seconds) pair or None for no limit. Return 0 if it is within the limit,
    else the seconds until it would be. Counted in the shared cache, so that every server
    process agrees; an IPv6 client counts by its /64 (`bucket`)."""
    if not rate:
        return 0
    limit, period = rate
    now = time.time()
    window = int(now // period)
    key = f"{scope}:{bucket(ip)}:{window}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # Expired between add() and incr().
        cache.set(key, 1, timeout=period)
        count = 1
    if count <= limit:
        return 0
    return math.ceil((window + 1) * period - now)
