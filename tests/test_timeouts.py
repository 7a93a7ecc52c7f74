"""A database that hangs, a slow statement, a Redis out of memory: readers get a quick answer
(the 503 page, or the page served uncached), never a worker held until gunicorn kills it."""

import logging
import socket
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import psycopg
import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection

from newsroom import unavailable
from pagecache import backends as failsafe_cache

from .factories import make_article
from .test_faults import (
    Forwarder,
    Site,
    assert_unavailable_page,
    free_port,
    redis_cache,
    redis_warnings,
)

needs_postgresql = pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "newsroom.postgresql",
    reason="needs PostgreSQL: a SQLite file cannot hang, nor hold a statement",
)


def get(site, path, timeout=10):
    """(status, headers, body, seconds) of a GET; a request left waiting fails the test."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{site.port}{path}", timeout=timeout) as r:
            status, headers, body = r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read().decode()
    return status, headers, body, time.monotonic() - started


@pytest.fixture
def hung_database():
    """A PostgreSQL address that accepts connections and never answers: the kernel completes
    the TCP handshake for a listening socket that nobody reads."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield f"postgres://postgres@127.0.0.1:{listener.getsockname()[1]}/newsroom"
    listener.close()


# --- The database hangs -----------------------------------------------------------------------


def test_a_hung_database_costs_one_connect_timeout_then_the_503_comes_at_once(
    tmp_path, hung_database
):
    # Default timeouts (3 s to connect); a pause long enough to outlast the test.
    site = Site(tmp_path, hung_database, DATABASE_RETRY_PAUSE="60")
    try:
        assert get(site, "/healthz")[0] == 200  # The worker has loaded the site.
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=6) as pool:
            pages = list(pool.map(lambda path: get(site, path), ["/", "/archive/"] * 3))
        burst = time.monotonic() - started
        healthz = get(site, "/healthz")
        readyz = get(site, "/readyz")
        again = get(site, "/archive/")
    finally:
        site.stop()

    for status, headers, body, _ in [*pages, again]:
        assert_unavailable_page(status, headers, body)
    # One worker, six readers at once: one connect timeout in all, not one each (nor 30 s each
    # until gunicorn kills the worker, as before).
    assert burst < 5
    assert again[3] < 1
    assert healthz[0] == 200 and healthz[3] < 1
    assert readyz[0] == 503 and readyz[2] == "unavailable: database" and readyz[3] < 1
    # Said once in the log, however many readers were turned away.
    assert site.output.count("not tried again for 60 s at a time") == 1


@needs_postgresql
def test_cached_pages_are_served_while_the_database_hangs(transactional_db, tmp_path):
    make_article(title="Served from the page cache")
    database = connection.settings_dict
    forwarder = Forwarder((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    forwarder.start()
    url = f"postgres://{database['USER']}@127.0.0.1:{forwarder.port}/{database['NAME']}"
    site = Site(tmp_path, url, DATABASE_RETRY_PAUSE="60")
    try:
        stored = get(site, "/")
        forwarder.hang()  # Under the connection the site keeps open, and for any new one.
        cached = get(site, "/")
        uncached = get(site, "/archive/")
        uncached_again = get(site, "/archive/")
        cached_again = get(site, "/")
        readyz = get(site, "/readyz")
    finally:
        site.stop()
        forwarder.stop()

    assert stored[0] == 200
    # Served while nothing reaches the database: from the page cache.
    for status, _, body, seconds in (cached, cached_again):
        assert status == 200 and "Served from the page cache" in body
        assert seconds < 1
    # The open connection's health check gives up after the connect timeout (3 s); the new
    # connection is not even tried: the breaker has tripped.
    assert_unavailable_page(*uncached[:3])
    assert uncached[3] < 5
    assert_unavailable_page(*uncached_again[:3])
    assert uncached_again[3] < 1
    assert readyz[0] == 503 and readyz[3] < 1
    assert "the database did not answer within 3 s" in site.output


@needs_postgresql
def test_a_statement_timeout_gives_the_503_without_pausing_the_site(transactional_db, tmp_path):
    make_article(title="Back after the slow statement")
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    site = Site(tmp_path, url, DATABASE_STATEMENT_TIMEOUT="1", DATABASE_RETRY_PAUSE="60")
    locker = psycopg.connect(
        dbname=database["NAME"],
        user=database["USER"],
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
    )
    try:
        # Another session holds the stories' table: every query on it waits, as behind a
        # long migration or a runaway query.
        locker.execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
        slow = get(site, "/")
        locker.rollback()
        after = get(site, "/")
    finally:
        locker.close()
        site.stop()

    assert_unavailable_page(*slow[:3])
    assert slow[3] < 3
    assert "canceling statement due to statement timeout" in site.output
    # One slow statement is not an outage: the next reader is served at once.
    assert after[0] == 200 and "Back after the slow statement" in after[2] and after[3] < 2


@needs_postgresql
def test_statement_timeout_is_for_web_requests_not_management_commands(transactional_db, settings):
    settings.DATABASE_STATEMENT_TIMEOUT = 7

    def statement_timeout():
        connection.close()  # A new connection, opened here.
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            return cursor.fetchone()[0]

    command = statement_timeout()
    request_started.send(sender=None)
    try:
        request = statement_timeout()
    finally:
        request_finished.send(sender=None)
        connection.close()

    assert command == "0"  # migrate, the importers: never cut off half way
    assert request == "7s"


@needs_postgresql
def test_the_site_never_waits_for_postgresql_to_compile_a_query(transactional_db):
    # JIT compilation of a plan the planner misjudged cost 1.2 s on a story page at 100,000
    # stories (bench/RESULTS.md): every connection turns it off.
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    connection.close()
    assert jit == "off"


# --- The breaker, by the clock ----------------------------------------------------------------


def test_breaker_pauses_then_lets_one_caller_try(settings, caplog):
    settings.DATABASE_RETRY_PAUSE = 5
    unavailable.reset_outages()
    outage = unavailable.database_outage("default")
    clock = mock.Mock(return_value=1000.0)
    try:
        with mock.patch.object(unavailable.time, "monotonic", clock), caplog.at_level("WARNING"):
            assert outage.may_try()
            outage.failed(psycopg.OperationalError("connection timeout expired"))
            outage.failed(psycopg.OperationalError("connection timeout expired"))
            clock.return_value = 1004.9
            during_pause = outage.may_try()
            clock.return_value = 1005.0
            trial, others = outage.may_try(), [outage.may_try(), outage.may_try()]
            outage.recovered()
            after = [outage.may_try(), outage.may_try()]
    finally:
        unavailable.reset_outages()

    assert during_pause is False
    assert trial is True and others == [False, False]  # one reader tries, the rest wait
    assert after == [True, True]
    assert [r.getMessage() for r in caplog.records if r.name == "newsroom.unavailable"] == [
        (
            "Database 'default' unavailable (connection timeout expired): "
            "not tried again for 5 s at a time."
        ),
        "Database 'default' answers again.",
    ]


# --- Redis out of memory ----------------------------------------------------------------------


@pytest.fixture
def full_redis(tmp_path):
    """A Redis of our own with 2 MB of memory, the default `noeviction` policy, and full."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--maxmemory", "2mb"]
        + ["--maxmemory-policy", "noeviction", "--save", "", "--appendonly", "no"]
        + ["--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_timeout=2)
    try:
        deadline = time.monotonic() + 10
        while not _answers(client):
            assert time.monotonic() < deadline and server.poll() is None, "redis-server failed"
            time.sleep(0.05)
        yield port, client
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=10)


def _answers(client):
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


def _fill(client):
    for number in range(1000):
        try:
            client.set(f"filler:{number}", b"x" * 65536)
        except redis.exceptions.ResponseError as error:
            # redis-py's OutOfMemoryError, a ResponseError: Redis said "OOM command not allowed".
            assert "maxmemory" in str(error)
            return
    pytest.fail("Redis never ran out of memory")


def test_redis_out_of_memory_serves_pages_uncached_with_one_warning(
    db, client, settings, caplog, full_redis
):
    port, raw = full_redis
    redis_cache(settings, f"redis://127.0.0.1:{port}/0")
    failsafe_cache.reset_outages()
    story = make_article(title="Served while Redis is full")
    cache.set("kept", "still readable", 600)
    _fill(raw)
    try:
        with caplog.at_level(logging.WARNING):
            # Several values at once go in a pipeline, whose error quotes the command.
            cache.set_many({"reader": "a reader's data", "other": "more"}, 600)
            pages = [client.get("/"), client.get("/"), client.get(story.get_absolute_url())]
            kept = cache.get("kept")
    finally:
        failsafe_cache.reset_outages()

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert all("Served while Redis is full" in page.text for page in pages)
    # Writes refused, reads still served from Redis: an error answered at once costs no
    # timeout, so Redis is not left alone for it.
    assert kept == "still readable"
    # Once, and in Redis's words only: no cached data quoted in the log.
    refused = "OutOfMemoryError: command not allowed when used memory > 'maxmemory'."
    assert redis_warnings(caplog) == [
        f"Redis at 127.0.0.1:{port} is unavailable ({refused}): serving without the cache "
        + "(1 failed call)."
    ]
