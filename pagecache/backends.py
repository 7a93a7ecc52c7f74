"""A Redis cache that the site can live without.

Everything the site keeps in the cache can be rebuilt or lost (whole pages, "Most read" counters
not yet written out, rate-limit counts), so when Redis stops answering the site goes on serving,
uncached: reads are misses, writes are dropped, and one warning a minute says so in the log.
After a failure Redis is left alone for a moment, so that a server that hangs rather than refuses
costs one short timeout now and then, not one on every cache call of every page.

A Redis that answers with an error (out of memory under `maxmemory` with `noeviction`, a replica
that has become read-only) is treated the same, except that it is not left alone: it answered at
once, so there is no timeout to spare, and the calls it still accepts (reads, when only writes
are refused) go on being served from it.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Redis cannot be reached, or did not answer in time: left alone for a moment.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Every other error Redis answers with (ResponseError "OOM command not allowed", ReadOnlyError...).
REFUSED = RedisError


class Outage:
    """What this process knows about Redis being away: shared by the threads' cache objects
    (Django gives each thread its own), one record per Redis address."""

    # Seconds without trying Redis after a failure.
    pause = 2.0
    # Seconds between two warnings in the log while Redis stays away.
    warn_every = 60.0

    def __init__(self):
        self.lock = threading.Lock()
        self.paused_until = 0.0
        self.warned_at = None
        self.failures = 0
        # Unreachable since the last warning (an error answered by Redis does not count).
        self.down = False

    def paused(self):
        return time.monotonic() < self.paused_until

    def failed(self, location, error, pause=True):
        now = time.monotonic()
        with self.lock:
            if pause:
                self.paused_until = now + self.pause
                self.down = True
            self.failures += 1
            if self.warned_at is not None and now - self.warned_at < self.warn_every:
                return
            self.warned_at, failures, self.failures = now, self.failures, 0
        logger.warning(
            "Redis at %s is unavailable (%s): serving without the cache (%d failed call%s).",
            location,
            error,
            failures,
            "" if failures == 1 else "s",
        )

    def recovered(self, location):
        with self.lock:
            # After refused writes, a read that works is no news: Redis never went away.
            if not self.down:
                return
            self.down = False
            self.warned_at = None
            self.failures = 0
        logger.warning("Redis at %s answers again: the cache is back in use.", location)


_outages = {}
_outages_lock = threading.Lock()


def outage_for(location):
    with _outages_lock:
        return _outages.setdefault(location, Outage())


def reset_outages():
    """Forget past failures (for tests)."""
    with _outages_lock:
        _outages.clear()


def _host(url):
    """host:port of a Redis URL, without the password it may carry."""
    parts = urlsplit(url)
    return f"{parts.hostname or parts.path}:{parts.port or 6379}"


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one redis-py client per connection pool.

    Django makes a new redis-py client for every cache call, and each builds its table of
    ~170 response callbacks: a fifth of a millisecond, twice on every page served from the
    page cache. redis-py clients are safe to share between threads.
    """

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(index)
        if client is None:
            client = clients[index] = self._client(connection_pool=self._get_connection_pool(index))
        return client


class FailSafeRedisCache(RedisCache):
    """Django's RedisCache, answering as an empty cache while Redis is unavailable.

    `incr`/`decr` raise ValueError as for a missing key: every caller already handles that
    (the comment rate limit then lets the post through, "Most read" starts a new counter).
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._location = ",".join(_host(url) for url in self._servers)
        self._outage = outage_for(self._location)

    def _call(self, operation, fallback, *args, **kwargs):
        if self._outage.paused():
            return fallback()
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except UNAVAILABLE as error:
            self._outage.failed(self._location, error)
            return fallback()
        except REFUSED as error:
            # Redis's own words only: a pipeline's error also quotes its command, cached data.
            reason = str(error).rpartition("caused error: ")[2]
            self._outage.failed(self._location, f"{type(error).__name__}: {reason}", pause=False)
            return fallback()
        if self._outage.down:
            self._outage.recovered(self._location)
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", lambda: False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", lambda: None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", lambda: False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key {key!r} not found: the cache is unavailable.")

        return self._call("incr", missing, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", lambda: list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", lambda: None, keys, version)

    def clear(self):
        return self._call("clear", lambda: False)
