"""The health checks a load balancer and a deploy script call: /healthz and /readyz."""

import pytest
from django.db import OperationalError

from articles.models import About
from newsroom import urls

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    # The first request of a process may fill the site's shared cache entries; after that a
    # probe (and the benchmark's ceiling) must cost no query at all. (About.load(): a running
    # site has its About row; creating it is a content change that empties the cache.)
    About.load()
    client.get("/healthz")
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    # A proxy or CDN must never answer a liveness probe from its cache.
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_readyz_is_ok_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


def test_readyz_reports_a_cache_outage_but_stays_ready(client, settings):
    # Pages are served uncached while Redis is away: taking every server out of the load
    # balancer for it would turn a slower site into no site. Nobody listens on this port.
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.backends.FailSafeRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok, without the cache (serving uncached)"


class UnreachableDatabase:
    def cursor(self):
        raise OperationalError("connection refused")


def test_readyz_is_unavailable_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(urls, "connection", UnreachableDatabase())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"unavailable: database"
