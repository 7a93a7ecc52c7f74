"""Make the README's screenshots: `make screenshots`.

Builds a scratch site (its own SQLite file and media folder, demo content), serves it with
runserver on a free port and photographs the public pages at phone and desktop widths and the
admin screens editors and moderators use, with Debian's Chromium.

`python docs/screenshots.py --only console` makes the moderation console's alone; `--port N`
serves the scratch site on port N instead of a free one.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PUBLIC_PAGES = {
    "front": "/",
    "article": "/{article}",
    "live": "/{live}",
    "category": "/category/world/",
    "tag": "/tag/tungsten/",
    "archive": "/archive/",
    "search": "/search/?q=tungsten",
    "about": "/about/",
}
WIDTHS = {"phone": 375, "desktop": 1280}
# Light is the README's default picture; dark ones are saved beside it as NAME-WIDTH-dark.png.
SCHEMES = {"light": "", "dark": "-dark"}
# The story pages photographed: a plain story, and the demo's live story (its lead).
STORY_URLS = (
    "from articles.models import Article; "
    "print(Article.objects.get(slug='kazakhstan-joins-abraham-accords').get_absolute_url()); "
    "print(Article.objects.get(slug='storm-closes-caspian-ports-live').get_absolute_url())"
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(env, port=None):
    port = port or free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("The scratch site did not start.")


def sign_in(page, base, username, password):
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def console_screens(browser, base):
    """The keyboard moderation console: on a desk with its keys shown, the Reported queue, and
    the reason picker that r (or Reject) opens, on a desk and on a phone. Nothing is decided:
    the picker is photographed open."""
    for name, width in {"moderation-console": 1280, "moderation-console-phone": 375}.items():
        phone = width < 768
        console = browser.new_page(
            viewport={"width": width, "height": 700}, has_touch=phone, is_mobile=phone
        )
        sign_in(console, base, "moderator", "demo-moderator-pass")
        console.goto(base + "/admin/comments/comment/console/")
        if not phone:
            console.keyboard.press("j")
            console.keyboard.press("?")
        console.screenshot(path=OUT / f"{name}.png")
        if phone:
            console.locator(".console-row").first.get_by_role("button", name="Reject").tap()
        else:
            console.keyboard.press("?")
            console.keyboard.press("r")
            console.keyboard.press("2")
        console.get_by_role("dialog").wait_for()
        console.wait_for_timeout(500)  # The tap's highlight fades.
        console.screenshot(path=OUT / f"{name}-reasons.png")
        if not phone:
            console.keyboard.press("Escape")
            console.get_by_role("link", name="Reported").click()
            console.locator(".console-row").first.wait_for()
            console.screenshot(path=OUT / "moderation-console-reported.png")
        console.close()


def other_screens(browser, base, article, live):
    """The public pages at each width and scheme, and the editors' and the queue's screens."""
    for width_name, width in WIDTHS.items():
        for scheme, suffix in SCHEMES.items():
            page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
            for name, path in PUBLIC_PAGES.items():
                page.goto(base + path.format(article=article[1:], live=live[1:]))
                page.screenshot(path=OUT / f"{name}-{width_name}{suffix}.png")
            page.close()

    admin = browser.new_page(viewport={"width": 1280, "height": 800})
    sign_in(admin, base, "editor", "demo-editor-pass")
    admin.goto(base + "/admin/articles/article/")
    admin.screenshot(path=OUT / "admin-articles.png")
    admin.get_by_role("link", name="Kazakhstan joins the Abraham Accords").first.click()
    admin.locator(".ProseMirror[contenteditable=true]").first.wait_for()
    admin.screenshot(path=OUT / "admin-article-editor.png")
    # A second version, so the history has a change to show.
    standfirst = admin.get_by_label("Standfirst:")
    standfirst.fill(standfirst.input_value().replace("largest", "biggest"))
    admin.get_by_role("button", name="Save and continue editing").first.click()
    admin.goto(admin.url.replace("/change/", "/history/"))
    admin.screenshot(path=OUT / "admin-article-history.png")
    admin.close()

    for name, width in {"moderation-queue": 1280, "moderation-queue-phone": 375}.items():
        queue = browser.new_page(viewport={"width": width, "height": 700})
        sign_in(queue, base, "moderator", "demo-moderator-pass")
        queue.goto(base + "/admin/comments/comment/")
        queue.screenshot(path=OUT / f"{name}.png")
        queue.close()


def live_screens(browser, base, live):
    """The live posting screen, and a reader's page holding a new update behind its button."""
    reader = browser.new_page(viewport={"width": 1280, "height": 900})
    reader.goto(base + live + "#live")
    editor = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(editor, base, "editor", "demo-editor-pass")
    editor.goto(base + live)
    story_id = editor.locator("[data-live-story]").first.get_attribute("data-live-story")
    editor.goto(f"{base}/admin/live/liveentry/story/{story_id}/")
    box = editor.locator("#live-post .ProseMirror[contenteditable=true]")
    box.click()
    box.press_sequentially("Aktau's harbour master says the first ferry may sail at dawn.")
    editor.screenshot(path=OUT / "admin-live-posting.png")
    box.press("Control+Enter")
    editor.get_by_text("Posted.").wait_for()
    reader.get_by_role("button", name="1 new update").wait_for(timeout=5000)
    reader.screenshot(path=OUT / "live-new-update.png")
    reader.close()
    editor.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["console"], help="make only these screenshots")
    parser.add_argument("--port", type=int, help="serve the scratch site on this port")
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="newsroom-screenshots-"))
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{scratch / 'db.sqlite3'}",
        "MEDIA_ROOT": str(scratch / "media"),
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "load_demo", "-v0"], cwd=ROOT, env=env, check=True)
    article, live = (
        subprocess.run(
            [*manage, "shell", "-c", STORY_URLS],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-2:]
    )
    server, base = serve(env, options.port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            if options.only != "console":
                other_screens(browser, base, article, live)
                live_screens(browser, base, live)
            console_screens(browser, base)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"Screenshots written to {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
