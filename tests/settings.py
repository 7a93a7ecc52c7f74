"""Test settings: the real settings, with the few things tests must not depend on pinned."""

import os
import tempfile

# A developer's .env must not change what the tests see (nor their subprocesses).
os.environ["ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("DEBUG", "false")
# Tasks run at once in the test's own process and transaction; a test that needs the real
# worker starts `db_worker` itself.
os.environ.setdefault("TASKS_BACKEND", "immediate")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="newsroom-test-media-"))
# WhiteNoise looks for collected files at start-up; tests never collect them.
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="newsroom-test-static-"))

from newsroom.settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# The test client's host: absolute addresses in pages and feeds read http://testserver/….
SITE_URL = "http://testserver"
# The live server's thread must not keep a connection open past the run, or the test
# database cannot be dropped on PostgreSQL.
DATABASES["default"]["CONN_MAX_AGE"] = 0
