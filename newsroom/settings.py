"""Settings for newsroom, read from the environment with safe development defaults.

Every value a deployment changes is an environment variable, listed in README.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from newsroom.environment import (
    env_bool,
    env_comment_mode,
    env_float,
    env_int,
    env_list,
    env_open_hours,
    env_rate_limit,
    load_env_file,
    site_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# A developer's machine keeps its settings in a git-ignored `.env` (`make run` writes one with
# DEBUG on and a generated key); variables already in the environment win over it. ENV_FILE
# names another file, or none when empty: the tests set it empty (newsroom/environment.py).
ENV_FILE = load_env_file(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string in production, or set "
            "DEBUG=true for local development (the .env that `make run` writes sets both)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters, e.g. "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")


# The site's one canonical address, e.g. https://news.example.com: absolute links in pages,
# feeds and sitemaps, and feed entry ids, never depend on the Host a request used.
SITE_URL = site_url(DEBUG, ALLOWED_HOSTS)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A comment refused for its CSRF token comes back in its form, never lost.
CSRF_FAILURE_VIEW = "comments.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "django_prose_editor",
    "simple_history",
    "axes",
    # The task queue's table and its worker (`manage.py db_worker`), for django.tasks.
    "django_tasks_db",
    # The ground floor: knows no app of the site (they tell it what changed), and outgoing mail.
    "pagecache",
    "outbox",
    # The middle floor, bottom up: images (files, renditions, body images), stories; then
    # the editors' desk (the admin of stories), comments, search, most read and feeds and
    # sitemaps, and live coverage, which read stories and know nothing of each other.
    "images",
    "articles",
    "newsdesk",
    "search",
    "mostread",
    "syndication",
    "comments",
    "newsletters",
    "live",
    "wordpress",
    "transfer",
    "demo",
    "roles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "newsroom.middleware.SecurityHeadersMiddleware",
    # Early, so that a database failure anywhere below becomes the "back soon" page, a 503.
    "newsroom.unavailable.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag and Last-Modified answered with 304, cached pages included.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads a body (the CSRF check does, in process_view) and after the user is
    # known: a body too large for where it is sent is a 413 (newsroom/limits.py).
    "newsroom.limits.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Old addresses of stories (renamed, or imported: permalinks, ?p=123) 301 to where they
    # live now; above the page cache so that it sees cached 404s too.
    "articles.redirects.RedirectFallbackMiddleware",
    # Below sessions, users and messages: it asks who the reader is before serving a cached page.
    "pagecache.middleware.PageCacheMiddleware",
    # Pages and feeds compressed, below the page cache so that a cached page is compressed
    # once, not on every request (static files come compressed from WhiteNoise).
    "django.middleware.gzip.GZipMiddleware",
    # Below GZip: ETags over the page as the view made it, the same compressed or not, and the
    # same when the page is cached again with the same content.
    "pagecache.middleware.ETagBeforeCompressionMiddleware",
    # Below the three above: a page loses its templates' indentation once, before it is
    # cached, compressed and tagged (newsroom/whitespace.py).
    "newsroom.whitespace.SqueezeWhitespaceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a refused admin login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# SQLite needs no server, so a newcomer runs the site at once; production sets DATABASE_URL,
# e.g. postgres://user:password@host:5432/newsroom.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A database that hangs must cost readers a quick 503 page, not every worker until gunicorn
# kills it (newsroom/postgresql/base.py). Seconds to open a connection (psycopg counts at least 2).
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 3)
# Seconds a statement may run for a web request (0: no limit); management commands have none.
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 10)
# After a failure to connect or to get an answer, each process leaves the database alone this
# many seconds: pages that need it get the 503 page at once, cached pages are served as ever.
DATABASE_RETRY_PAUSE = env_int("DATABASE_RETRY_PAUSE", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a bounded wait for every answer and the breaker above.
    DATABASES["default"]["ENGINE"] = "newsroom.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DATABASE_CONNECT_TIMEOUT,
            # Keep idle connections alive through firewalls and NAT, and notice a vanished server.
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Seconds a statement waits for another process's write lock before "database is locked"
    # (a 503): well under gunicorn's 30 s timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 5})
# While the database is unreachable readers get a 503 page asking them to come back in this many
# seconds; the site reconnects by itself when it returns (newsroom/unavailable.py).
DATABASE_RETRY_AFTER = env_int("DATABASE_RETRY_AFTER", 30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Django serves uploads itself only where no web server does (development, demos).
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)

# Uploads live on local disk by default. With more than one app server they must be shared:
# AWS_STORAGE_BUCKET_NAME puts them on S3 or an S3-compatible store (`pip install --group s3`);
# boto3 reads the credentials from the standard AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY variables.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
if AWS_STORAGE_BUCKET_NAME:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # MinIO, Ceph, R2 and other S3-compatible stores.
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            # A CDN host in front of the bucket, e.g. media.example.com.
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # Featured images are public: plain, cacheable URLs rather than expiring signed ones.
            "querystring_auth": False,
            # Two uploads named alike must never replace each other's file.
            "file_overwrite": False,
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": MEDIA_STORAGE,
    # Hashed, compressed names need `collectstatic`, so they are for production only.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Request bodies larger than these are refused with a 413 page before anything reads them
# (newsroom/limits.py): readers only send small forms; staff in the admin send an image (at most
# 10 MB, images/processing.py) with a story. nginx's client_max_body_size must allow the larger.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 64 * 1024)
MAX_ADMIN_REQUEST_BYTES = env_int("MAX_ADMIN_REQUEST_BYTES", 12 * 1024 * 1024)
# Within those, a form's fields other than files may hold this much (more is a 413 as well); an
# uploaded file larger than FILE_UPLOAD_MAX_MEMORY_SIZE is streamed to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie (the comment form needs none: comments/origin.py).
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles only from our own files. Public pages are cached whole and shared between
# readers, so they carry no inline script and no nonce; the admin (never cached) gets a nonce
# for its few inline blocks and the editor's import map. docs/security.md explains each line.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # data: for the admin's and the editor's small inline icons; CSP_IMG_SRC adds the media
    # host when uploads are served from elsewhere (S3, a CDN).
    "img-src": [CSP.SELF, "data:", *env_list("CSP_IMG_SRC")],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Behind a TLS-terminating proxy (nginx, a load balancer) set HTTPS=true.
if env_bool("HTTPS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # Load balancers check health over plain HTTP, from inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Consent to the browsers' preload list; the site is listed only once someone submits it.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Admin sign-in throttling (django-axes): AXES_FAILURE_LIMIT wrong passwords for one user name
# from one address lock that pair out for AXES_COOLOFF_TIME hours. Keyed on the pair, so an
# attacker cannot lock editors out from elsewhere, nor one typist a whole office behind one NAT.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(hours=env_int("AXES_COOLOFF_TIME", 1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
# The reader's address the same way the comments read it (COMMENTS_CLIENT_IP_HEADER).
AXES_CLIENT_IP_CALLABLE = "client_address.client_ip"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Pagination size of category, tag and archive lists.
ARTICLES_PER_PAGE = 20

# One cache shared by every process and app server when REDIS_URL is set (page cache, rate limits,
# most-read counters); otherwise each process keeps its own in local memory, which is what a
# single development server wants.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
try:
    REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "").strip() or 0.5)
except ValueError:
    raise ImproperlyConfigured("REDIS_TIMEOUT must be a number of seconds, e.g. 0.5.") from None
if REDIS_URL:
    CACHES = {
        "default": {
            # Serves on, uncached, while Redis is away (see pagecache/backends.py).
            "BACKEND": "pagecache.backends.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {
                # Seconds: a Redis that hangs must not hold up a page for long.
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
# Copies of whole pages have a cache of their own, "pages", so that however many are stored they
# can only evict each other: never the rate limits, locks, page-cache generations and "Most read"
# counters kept in "default". PAGE_CACHE_REDIS_URL: a Redis of their own, which may run with
# maxmemory-policy allkeys-lru; without it they share REDIS_URL under their own key prefix (that
# Redis must then not evict: noeviction, with memory to spare).
PAGE_CACHE_REDIS_URL = os.environ.get("PAGE_CACHE_REDIS_URL", "").strip()
if PAGE_CACHE_REDIS_URL and not REDIS_URL:
    raise ImproperlyConfigured("PAGE_CACHE_REDIS_URL needs REDIS_URL too: set both, or neither.")
if REDIS_URL:
    CACHES["pages"] = {
        **CACHES["default"],
        "LOCATION": PAGE_CACHE_REDIS_URL or REDIS_URL,
        "KEY_PREFIX": f"{CACHES['default']['KEY_PREFIX']}:pages",
    }
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        # Its own LOCATION is its own store; at some 35 KB a page, about 35 MB per process.
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 1_000},
    }

# Anonymous readers' pages are cached whole for this many seconds (0 turns the page cache off);
# any change readers could see shows at once all the same (pagecache/).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# An X-Page-Cache: hit/miss header on reader pages, for development: in production it would tell
# anyone which addresses (searches) other readers asked for lately.
PAGE_CACHE_DEBUG_HEADER = env_bool("PAGE_CACHE_DEBUG_HEADER", DEBUG)
# What browsers, proxies and CDNs are told: keep a public page this long, and serve it this much
# longer while fetching a fresh copy.
PAGE_MAX_AGE = env_int("PAGE_MAX_AGE", 60)
PAGE_STALE_WHILE_REVALIDATE = env_int("PAGE_STALE_WHILE_REVALIDATE", 60)
# Inside the site: a cached page that has just gone out of date is served, to every request but
# the one rendering it again, for at most this many seconds after it did (0: never). Never once
# something readers could see was taken away (unpublished, deleted): that purges at once.
PAGE_CACHE_STALE_SECONDS = env_int("PAGE_CACHE_STALE_SECONDS", 30)

# The HTTP cache in front that is told which pages changed (pagecache/purge.py, docs/deploy.md):
# "" (none), "varnish" (PURGE with xkey to each of PAGE_CACHE_PURGE_URLS), "fastly" (the service
# PAGE_CACHE_PURGE_ZONE, API token PAGE_CACHE_PURGE_TOKEN) or "cloudflare" (the zone
# PAGE_CACHE_PURGE_ZONE, API token PAGE_CACHE_PURGE_TOKEN). Pages carry their tags either way;
# with a purge set, they also tell the cache in front it may keep them PAGE_CACHE_SECONDS.
PAGE_CACHE_PURGE = os.environ.get("PAGE_CACHE_PURGE", "").strip().lower()
PAGE_CACHE_PURGE_URLS = env_list("PAGE_CACHE_PURGE_URLS")
PAGE_CACHE_PURGE_TOKEN = os.environ.get("PAGE_CACHE_PURGE_TOKEN", "").strip()
PAGE_CACHE_PURGE_ZONE = os.environ.get("PAGE_CACHE_PURGE_ZONE", "").strip()
if PAGE_CACHE_PURGE not in ("", "varnish", "fastly", "cloudflare"):
    raise ImproperlyConfigured(
        f"PAGE_CACHE_PURGE must be empty, varnish, fastly or cloudflare, not {PAGE_CACHE_PURGE!r}."
    )
if PAGE_CACHE_PURGE == "varnish" and not PAGE_CACHE_PURGE_URLS:
    raise ImproperlyConfigured(
        "PAGE_CACHE_PURGE=varnish needs PAGE_CACHE_PURGE_URLS, e.g. http://127.0.0.1:6081/."
    )
if PAGE_CACHE_PURGE in ("fastly", "cloudflare") and not (
    PAGE_CACHE_PURGE_TOKEN and PAGE_CACHE_PURGE_ZONE
):
    raise ImproperlyConfigured(
        f"PAGE_CACHE_PURGE={PAGE_CACHE_PURGE} needs PAGE_CACHE_PURGE_TOKEN and "
        "PAGE_CACHE_PURGE_ZONE (the service or zone id)."
    )

# The language of PostgreSQL full-text search; run `manage.py update_search_index` after a change.
SEARCH_CONFIG = os.environ.get("SEARCH_CONFIG", "english")

# "Most read": views wait in the cache and reach the database in batches, every
# MOST_READ_FLUSH_EVERY views or MOST_READ_FLUSH_SECONDS, whichever comes first.
MOST_READ_FLUSH_EVERY = env_int("MOST_READ_FLUSH_EVERY", 50)
MOST_READ_FLUSH_SECONDS = env_int("MOST_READ_FLUSH_SECONDS", 60)
MOST_READ_CACHE_SECONDS = env_int("MOST_READ_CACHE_SECONDS", 60)

# --- Comments and moderation ---
# Everything readers' comments and their moderators need. Each value is an environment variable,
# listed in README.md; an unreadable value stops the site at start-up, not at a reader's post.


# Mail goes through Django 6.1's MAILERS; the old EMAIL_* settings must not be set beside it.
# Without SMTP_HOST, messages are printed to the console, which is what development wants
# (`manage.py check --deploy` points it out in production).
_smtp_host = os.environ.get("SMTP_HOST", "").strip()
if _smtp_host:
    _smtp_use_ssl = env_bool("SMTP_USE_SSL", False)
    _smtp_use_tls = env_bool("SMTP_USE_TLS", not _smtp_use_ssl)
    if _smtp_use_ssl and _smtp_use_tls:
        raise ImproperlyConfigured("Set at most one of SMTP_USE_TLS and SMTP_USE_SSL to true.")
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp_host,
                # None: 465 with SSL, 587 with STARTTLS, else 25.
                "port": env_int("SMTP_PORT", None),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": _smtp_use_tls,
                "use_ssl": _smtp_use_ssl,
                # A slow mail server must not hold a reader's post for long.
                "timeout": env_int("SMTP_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Newsroom <newsroom@localhost>")

# Email the Moderators group and the superusers about each comment that enters the queue.
COMMENTS_NOTIFY_MODERATORS = env_bool("COMMENTS_NOTIFY_MODERATORS", True)
# Publish at once the comments of proven returning commenters: the browser's signed cookie names
# an approved comment of theirs with the same email address (the address alone proves nothing).
COMMENTS_TRUST_RETURNING_COMMENTERS = env_bool("COMMENTS_TRUST_RETURNING_COMMENTERS", True)
# ...once this browser has posted this many approved comments with that address: until then a
# new commenter's every comment waits. 1 to 20 (the signed cookie remembers 20 comments).
COMMENTS_TRUST_AFTER_APPROVED = env_int("COMMENTS_TRUST_AFTER_APPROVED", 1)
if not 1 <= COMMENTS_TRUST_AFTER_APPROVED <= 20:
    raise ImproperlyConfigured("COMMENTS_TRUST_AFTER_APPROVED must be between 1 and 20.")
# How a story takes comments unless its section or the story itself says otherwise: "open"
# (trusted commenters appear at once, the rest wait), "premoderated" (every comment waits) or
# "closed".
COMMENTS_DEFAULT_MODE = env_comment_mode("COMMENTS_DEFAULT_MODE", "open")
# The local times (TIME_ZONE) between which readers may comment, e.g. "07:00-22:00"; outside
# them the story says when comments reopen. Empty: at any hour.
COMMENTS_OPEN_HOURS = env_open_hours("COMMENTS_OPEN_HOURS")
# Stories stop taking comments this many days after publication; 0 keeps them open.
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 30)
# A comment posted sooner than this after its form was shown is a bot's: it is filed as spam.
COMMENTS_MIN_SECONDS = env_int("COMMENTS_MIN_SECONDS", 3)
# A comment form's "shown at" time is good for the page's cache life plus this long to write:
# an older one (a replay, a page left open) gets the form back, words kept, to post again.
COMMENTS_WRITING_MINUTES = env_int("COMMENTS_WRITING_MINUTES", 10)
# A comment with more links than this is filed as spam.
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 2)
# Comment posts allowed per IP address, counted in the cache (shared by every worker when the
# cache is Redis): (posts, seconds) or None.
COMMENTS_RATE_LIMIT = env_rate_limit("COMMENTS_RATE_LIMIT", "5/10m")
# Behind a reverse proxy every request comes from the proxy's address: name the header in which
# the proxy passes the reader's own (e.g. X-Forwarded-For or X-Real-IP). Empty: REMOTE_ADDR.
COMMENTS_CLIENT_IP_HEADER = os.environ.get("COMMENTS_CLIENT_IP_HEADER", "").strip()
# `manage.py anonymise_comment_ips` forgets the IP address and user agent of comments older than
# this many days: they only serve against spam while a comment is new.
COMMENTS_IP_RETENTION_DAYS = env_int("COMMENTS_IP_RETENTION_DAYS", 90)
# A story's page shows only its newest comment threads (with their replies), so a busy story stays
# light; every comment is on its comments pages (comments/views.py:comment_list), this many
# threads a page, oldest first.
COMMENTS_ON_STORY_PAGE = env_int("COMMENTS_ON_STORY_PAGE", 8)
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", 50)
# Reader reports (comments/reports.py): a published comment reported by this many readers is
# hidden until a moderator decides; 0 never hides one (reports only fill the Reported queue).
COMMENTS_HIDE_AFTER_REPORTS = env_int("COMMENTS_HIDE_AFTER_REPORTS", 3)
# Reports allowed per IP address, counted like COMMENTS_RATE_LIMIT: (reports, seconds) or None.
COMMENTS_REPORT_RATE_LIMIT = env_rate_limit("COMMENTS_REPORT_RATE_LIMIT", "10/10m")
# A banned or suspended commenter's new comments go to Rejected. False: they are told what
# everyone is told ("awaiting moderation"); True: that they cannot comment (and until when).
COMMENTS_BAN_MESSAGE = env_bool("COMMENTS_BAN_MESSAGE", False)
# Email a commenter, once a moderator rejects their comment, which comment it was and why (the
# statement of reasons the EU Digital Services Act asks platforms for).
COMMENTS_TELL_REJECTED = env_bool("COMMENTS_TELL_REJECTED", False)


# --- The task queue and newsletters ---
# Mail and newsletters are sent by a worker, never by a page: Django's tasks framework with the
# django-tasks-db backend (tasks are rows of this database; `manage.py db_worker` runs them).
# TASKS_BACKEND=immediate runs each task at once in the process that asks (no worker needed:
# the tests, or a site that accepts a slow mail server slowing its pages).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower()
if TASKS_BACKEND not in ("database", "immediate"):
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database or immediate, not {TASKS_BACKEND!r}."
    )
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "newsletters"],
    }
}
# A message the mail server refused for now is tried again this many times, after 1, 2, 4...
# minutes (outbox/tasks.py).
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6)
# Newsletter messages per second, per worker process (0: as fast as the mail server takes them).
# Mailbox providers throttle a new sender; an email API's plan states its own limit.
NEWSLETTER_RATE = env_float("NEWSLETTER_RATE", 10.0)
# Who newsletters come from; the domain must pass SPF and DKIM (README: Deliverability).
NEWSLETTER_FROM_EMAIL = os.environ.get("NEWSLETTER_FROM_EMAIL", "").strip() or DEFAULT_FROM_EMAIL
# An optional mailto: address for List-Unsubscribe beside the one-click https link; mail to it
# must reach someone who unsubscribes the sender (or a script that does).
NEWSLETTER_UNSUBSCRIBE_MAILTO = os.environ.get("NEWSLETTER_UNSUBSCRIBE_MAILTO", "").strip()
# A delivery that fails this many times (a hard failure each: the server refused the address)
# pauses the subscriber; each retry waits twice as long as the one before, from 5 minutes.
NEWSLETTER_MAX_FAILURES = env_int("NEWSLETTER_MAX_FAILURES", 3)
# A delivery claimed by a worker that stopped (killed, crashed) is sent again after this many
# seconds without news of it (the worker marks each message as it goes).
NEWSLETTER_CLAIM_SECONDS = env_int("NEWSLETTER_CLAIM_SECONDS", 300)
# Sign-ups never confirmed are forgotten after this many days (`expire_newsletter_signups`).
NEWSLETTER_CONFIRM_DAYS = env_int("NEWSLETTER_CONFIRM_DAYS", 7)
# Sign-up posts allowed per IP address, counted like COMMENTS_RATE_LIMIT.
NEWSLETTER_SIGNUP_RATE_LIMIT = env_rate_limit("NEWSLETTER_SIGNUP_RATE_LIMIT", "5/10m")
