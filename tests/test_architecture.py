"""The floors hold: import-linter's contracts (pyproject.toml) pass on the code as it is, and
fail the moment an arrow runs the wrong way. `make test` runs `lint-imports` itself; these
tests prove the contracts are not vacuous."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "newsroom",
    "pagecache",
    "client_address",
    "outbox",
    "images",
    "articles",
    "newsdesk",
    "search",
    "mostread",
    "syndication",
    "comments",
    "newsletters",
    "live",
    "demo",
    "wordpress",
    "transfer",
    "roles",
]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tree):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        check=False,
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path):
    """A copy of the site's Python packages and its contracts."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_line(path, line):
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_contracts_hold_for_the_code_as_it_is(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        (
            "articles/models.py",
            "from comments import models as _",
            "articles never imports comments",
        ),
        ("pagecache/middleware.py", "import articles.models", "The page cache knows no app"),
        ("articles/views.py", "from newsroom import settings as _", "No app imports the config"),
        ("comments/views.py", "from articles import views as _", "comments import no view"),
        ("syndication/feeds.py", "import wordpress.importer", "Floors"),
        # Images know no story: what needs one (who may upload, a featured image's fields)
        # is the part of articles or the news desk, calling down into images.
        ("images/pictures.py", "from articles.models import Article as _", "Floors"),
        ("images/models.py", "import comments.models", "Floors"),
        ("pagecache/backends.py", "import images.processing", "The page cache knows no app"),
        # Search and most read read stories; stories know neither (the story page plugs most
        # read in through its template tag, as it does comments).
        ("articles/views.py", "import search.views", "Floors"),
        ("articles/models.py", "from mostread.models import ArticleView as _", "Floors"),
        ("articles/signals.py", "import mostread.counts", "Floors"),
        # Siblings: comments, search and most read know nothing of each other.
        ("search/views.py", "import mostread.counts", "Floors"),
        ("mostread/counts.py", "import comments.models", "Floors"),
        ("comments/views.py", "from search.views import search as _", "Floors"),
        ("mostread/views.py", "import transfer.site_export", "Floors"),
        ("pagecache/middleware.py", "import mostread.counts", "The page cache knows no app"),
        ("search/views.py", "from newsroom import urls as _", "No app imports the config"),
        # Feeds and sitemaps read stories; stories, and their siblings, know neither.
        ("articles/views.py", "from syndication import feeds as _", "Floors"),
        ("articles/urls.py", "import syndication.urls", "Floors"),
        ("syndication/sitemaps.py", "import search.views", "Floors"),
        ("comments/views.py", "import syndication.feeds", "Floors"),
        ("syndication/feeds.py", "import comments.models", "Floors"),
        ("pagecache/pages.py", "import syndication.sitemaps", "The page cache knows no app"),
        ("syndication/urls.py", "from newsroom import settings as _", "No app imports the config"),
        # The news desk (the admin of stories) edits stories; stories, and the desk's
        # siblings, know nothing of it, and it knows nothing of them.
        ("articles/models.py", "import newsdesk.admin", "Floors"),
        ("articles/signals.py", "from newsdesk.revisions import field_changes as _", "Floors"),
        ("newsdesk/admin.py", "import comments.models", "Floors"),
        ("newsdesk/forms.py", "import search.views", "Floors"),
        ("mostread/counts.py", "import newsdesk.forms", "Floors"),
        ("newsdesk/admin.py", "import wordpress.importer", "Floors"),
        ("pagecache/middleware.py", "import newsdesk.admin", "The page cache knows no app"),
        ("newsdesk/views.py", "from newsroom import urls as _", "No app imports the config"),
        # Live coverage plugs into story pages through its template tags; stories, the page
        # cache and the desk's siblings know nothing of it, and it knows nothing of them.
        ("articles/models.py", "import live.models", "Floors"),
        ("articles/views.py", "from live import stream as _", "Floors"),
        ("images/body_images.py", "import live.forms", "Floors"),
        ("pagecache/middleware.py", "import live.views", "The page cache knows no app"),
        ("live/views.py", "import comments.models", "Floors"),
        ("live/feeds.py", "import syndication.feeds", "Floors"),
        ("live/console.py", "import newsdesk.admin", "Floors"),
        ("newsdesk/admin.py", "import live.console", "Floors"),
        ("live/stream.py", "from newsroom import settings as _", "No app imports the config"),
        # Who a request comes from is a rule about addresses, below every app that asks it.
        ("client_address/__init__.py", "import articles.models", "Floors"),
        ("client_address/__init__.py", "import pagecache.generations", "Floors"),
        ("client_address/__init__.py", "from newsroom import settings as _", "No app imports"),
    ],
)
def test_an_arrow_the_wrong_way_breaks_a_contract(tree, module, line, contract):
    add_line(tree / module, line)

    result = lint_imports(tree)

    assert result.returncode != 0
    assert f"{contract}" in result.stdout
    assert "BROKEN" in result.stdout
