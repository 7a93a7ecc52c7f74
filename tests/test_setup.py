"""Setting up as README.md tells it: `make run` writes a local .env, then manage.py just works."""

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_env_file(directory):
    """Run the Makefile's .env rule in `directory` with this Python, installing nothing."""
    directory.mkdir(exist_ok=True)
    bin_dir = directory / "bin"
    bin_dir.mkdir(exist_ok=True)
    if not (bin_dir / "python").exists():
        (bin_dir / "python").symlink_to(sys.executable)
    return subprocess.run(
        [
            "make",
            "-s",
            "-f",
            ROOT / "Makefile",
            f"BIN={bin_dir}",
            "-o",
            bin_dir / ".installed",
            ".env",
        ],
        cwd=directory,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_writes_a_private_env_file_once_with_debug_and_a_strong_key(tmp_path):
    make_env_file(tmp_path)
    env_file = tmp_path / ".env"
    written = env_file.read_text()
    values = dict(
        line.split("=", 1) for line in written.splitlines() if line and not line.startswith("#")
    )

    assert values["DEBUG"] == "true"
    assert len(values["SECRET_KEY"]) >= 50
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600  # it holds a secret

    with env_file.open("a") as edited:
        edited.write("PAGE_CACHE_SECONDS=0\n")
    make_env_file(tmp_path)
    assert env_file.read_text() == written + "PAGE_CACHE_SECONDS=0\n"  # never overwritten
    make_env_file(tmp_path / "other")  # another checkout gets its own key
    assert written != (tmp_path / "other" / ".env").read_text()


def test_the_readmes_manage_py_commands_work_after_make_run(tmp_path):
    make_env_file(tmp_path)
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "ENV_FILE": str(tmp_path / ".env"),  # stands in for the checkout's own .env
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SUPERUSER_PASSWORD": "a-long-password-for-alice",
    }

    def manage(*command):
        return subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    for command in (
        ["check"],
        ["migrate", "-v0"],
        ["createsuperuser", "--no-input", "--username", "alice", "--email", "alice@localhost"],
        ["assign_role", "alice", "writer"],
        ["import_wordpress", "--help"],
    ):
        result = manage(*command)
        assert result.returncode == 0, (command, result.stderr[-2000:])
        assert "Traceback" not in result.stderr


def test_every_target_that_makes_the_environment_also_writes_the_env_file(tmp_path):
    """A newcomer who ran `make test` (or lint, format, screenshots) before `make run` gets a
    .env too, so the README's manage.py commands work after any of them."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for target in ("run", "test", "lint", "format", "screenshots"):
        plan = subprocess.run(
            [
                "make",
                "-n",
                "-f",
                ROOT / "Makefile",
                f"BIN={bin_dir}",
                "-o",
                bin_dir / ".installed",
                "-o",
                "node_modules/.installed",
                target,
            ],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        assert "SECRET_KEY=" in plan, target
