import os

import pytest
from django.conf import settings
from django.core.cache import caches

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses that
# unless told the tests know what they are doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def clear_caches():
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with empty caches: no page, counter or list from another test."""
    clear_caches()
    yield
    clear_caches()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes uploads to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def uncached_pages(settings):
    """The page cache off: every request draws its page, from what the site keeps between
    renders (fragments, kept stories and rows)."""
    settings.PAGE_CACHE_SECONDS = 0


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium: there is no network to download Playwright's own browser."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: install it with `apt-get install chromium`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, as the site's own is, not Django's default of one
    connection to memory. Django hands that one connection to every request thread of the live
    server, so two requests at once (the console fetching rows while a decision is sent) made
    "database table is locked" errors that no real server meets; with a file, each thread has
    its own connection and waits its turn as in production."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
