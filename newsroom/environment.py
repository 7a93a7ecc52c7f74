"""Reading settings from the environment (newsroom/settings.py): each reader turns a variable
into a value or stops the site at start-up with a message that says what is wrong, so a
mistyped value never reaches a reader's request."""

import os
import re
from datetime import time
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_float(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None
    if number < 0:
        raise ImproperlyConfigured(f"{name} must not be negative.")
    return number


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def load_env_file(default):
    """Load the `.env` file at `default`, or the one ENV_FILE names (none when it is empty),
    without overriding variables already in the environment; return the file's name.

    The file is what lets every `manage.py` command work as README.md shows it on a developer's
    machine; the tests set ENV_FILE empty so a developer's `.env` never changes what they see."""
    path = os.environ.get("ENV_FILE", str(default))
    if path:
        load_dotenv(path, override=False)
    return path


def site_url(debug, allowed_hosts):
    """SITE_URL: the variable, else in development the runserver address, else the first
    allowed host that names one host."""
    url = os.environ.get("SITE_URL", "").strip().rstrip("/")
    if not url:
        if debug:
            return "http://127.0.0.1:8000"
        if not allowed_hosts:
            # No request is allowed in, so no page needs the address: commands that serve
            # nothing (migrate, bench/populate.py) run without one.
            return "http://localhost"
        # By default the first allowed host, over HTTPS when the site is served over it.
        host = allowed_hosts[0]
        if "*" not in host and not host.startswith("."):
            return f"{'https' if env_bool('HTTPS', False) else 'http'}://{host}"
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path:
        raise ImproperlyConfigured(
            f"SITE_URL must be the site's address, like https://news.example.com, not {url!r} "
            "(without it, production takes the first ALLOWED_HOSTS entry that names one host)."
        )
    return url


def env_rate_limit(name, default):
    """Read "5/10m" as (5, 600): at most 5 posts in 10 minutes (units s, m, h); "off" as None."""
    value = os.environ.get(name, default).strip().lower()
    if value in {"0", "off"}:
        return None
    units = {"s": 1, "m": 60, "h": 3600}
    count, slash, period = value.partition("/")
    number, unit = (period[:-1], period[-1]) if period[-1:] in units else (period, "s")
    try:
        limit, seconds = int(count), int(number or 1) * units[unit]
    except ValueError:
        limit = seconds = 0
    if not slash:
        limit = 0
    if limit < 1 or seconds < 1:
        raise ImproperlyConfigured(f'{name} must look like "5/10m" or be "off", not {value!r}.')
    return limit, seconds


def env_open_hours(name):
    """Read "07:00-22:00" as (time(7), time(22)); empty as None (always open). A range may run
    across midnight ("22:00-02:00")."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    found = re.fullmatch(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", value)
    try:
        opens, closes = (time(int(h), int(m)) for h, m in (found.group(1, 2), found.group(3, 4)))
    except (AttributeError, ValueError):
        opens = closes = None
    if opens is None or opens == closes:
        raise ImproperlyConfigured(
            f'{name} must look like "07:00-22:00" (two different times) or be empty, not {value!r}.'
        )
    return opens, closes


def env_comment_mode(name, default):
    value = os.environ.get(name, "").strip().lower() or default
    if value not in {"open", "premoderated", "closed"}:
        raise ImproperlyConfigured(
            f'{name} must be "open", "premoderated" or "closed", not {value!r}.'
        )
    return value
