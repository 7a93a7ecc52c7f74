"""Configuration from the environment, checked in fresh processes as a deployment would run."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 20 + "-production-grade-secret-key-for-tests-" + "z" * 20


def run_python(code, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python("import django; django.setup()", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run_python("import django; django.setup()", DEBUG="false", SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_development_runs_without_a_secret_key():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_database_url_and_media_root_come_from_the_environment(tmp_path):
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'], settings.MEDIA_ROOT)",
        DEBUG="true",
        DATABASE_URL="postgres://news:pw@db.internal:5432/newsroom",
        MEDIA_ROOT=str(tmp_path),
    )
    # Django's PostgreSQL backend with bounded waits (newsroom/postgresql/base.py).
    assert result.stdout.split() == ["newsroom.postgresql", "newsroom", str(tmp_path)]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def production_site(tmp_path):
    """gunicorn with production settings on a fresh SQLite database, static files collected."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}},
        "DEBUG": "false",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, timeout=120)
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            gunicorn,
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)


def test_gunicorn_serves_pages_and_hashed_compressed_static_files(production_site):
    page = urllib.request.urlopen(production_site + "/").read().decode()
    stylesheet = page.split('rel="stylesheet" href="')[1].split('"')[0]
    assert stylesheet.startswith("/static/css/site.") and stylesheet != "/static/css/site.css"

    request = urllib.request.Request(
        production_site + stylesheet, headers={"Accept-Encoding": "gzip"}
    )
    response = urllib.request.urlopen(request)

    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response.headers["Cache-Control"]


SHOW_DEBUG_AND_KEY = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.SECRET_KEY)"
)


def write_env_file(path, **values):
    path.write_text("".join(f"{name}={value}\n" for name, value in values.items()))
    return str(path)


def test_a_local_env_file_is_read_so_manage_py_needs_no_prefix(tmp_path):
    env_file = write_env_file(tmp_path / ".env", DEBUG="true", SECRET_KEY=STRONG_KEY)

    result = run_python(SHOW_DEBUG_AND_KEY, ENV_FILE=env_file)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", STRONG_KEY]


def test_real_environment_variables_win_over_the_env_file(tmp_path):
    env_file = write_env_file(tmp_path / ".env", DEBUG="true", SECRET_KEY="weak-local-key")
    result = run_python(SHOW_DEBUG_AND_KEY, ENV_FILE=env_file, DEBUG="false")
    # The file's DEBUG=true is ignored, so its weak key is judged as production would.
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr

    result = run_python(SHOW_DEBUG_AND_KEY, ENV_FILE=env_file, DEBUG="false", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", STRONG_KEY]


def test_without_an_env_file_or_debug_a_missing_key_still_stops_the_site(tmp_path):
    result = run_python("import django; django.setup()", ENV_FILE=str(tmp_path / "missing.env"))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_env_file_is_the_one_at_the_checkout_root_unless_named():
    clean = {k: v for k, v in os.environ.items() if k != "ENV_FILE"}
    result = subprocess.run(
        [sys.executable, "-c", "import newsroom.settings as s; print(s.ENV_FILE)"],
        check=False,
        cwd="/",
        env={**clean, "DEBUG": "true", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(ROOT / ".env")


def test_the_tests_never_read_a_developers_env_file():
    assert os.environ["ENV_FILE"] == ""
