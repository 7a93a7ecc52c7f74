"""The keyboard moderation console in a real browser: a moderator clears the queue with the
keyboard alone, or with a thumb on a phone, and the counts follow every decision. Rejecting asks
why, in a dialog with the script and on a page of its own without."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from comments.audit import Decision, RejectionReason
from comments.models import Comment

from .factories import make_comment, make_user
from .test_accessibility import AXE, axe_violations, describe
from .test_browser import roles, sign_in  # noqa: F401 (roles: autouse, makes the groups)
from .test_csp_browser import RECORD_VIOLATIONS

pytestmark = pytest.mark.django_db(transaction=True)

CONSOLE = reverse("admin:comments_comment_console")
SEEDED = import_module("comments.migrations.0006_reports_commenters_audit")


@pytest.fixture(autouse=True)
def reasons():
    """A live-server test empties the database after itself, the reasons the migration seeded
    included: seed them again, the same way, before each test."""
    SEEDED.seed_reasons(apps, None)


@pytest.fixture
def open_page(browser):
    """A page in a browser context of its own that records what the CSP refuses (in
    `window.cspViolations`), closed after the test."""
    contexts = []

    def open_page(**options):
        contexts.append(browser.new_context(**options))
        contexts[-1].add_init_script(RECORD_VIOLATIONS)
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def queue(count):
    """`count` pending comments, oldest first, on a few stories; every fifth a reply."""
    start = timezone.now() - timedelta(hours=3)
    thread = make_comment(status="approved", name="Aigerim", body="The thread's first word.")
    return [
        make_comment(
            thread.article if n % 5 == 4 else None,
            parent=thread if n % 5 == 4 else None,
            name=f"Reader {n:02}",
            body=f"Comment number {n:02}.",
            created_at=start + timedelta(minutes=n),
        ).pk
        for n in range(count)
    ]


def open_console(page, live_server):
    make_user("moira", groups=["Moderators"], is_staff=True)
    sign_in(page, live_server, "moira")
    page.goto(live_server.url + CONSOLE)


def focused(page):
    return page.locator('.console-row[aria-current="true"]')


def reasons_by_key():
    """The digit that picks each reason in the dialog: the list's order, from 1."""
    return {str(n): r.label for n, r in enumerate(RejectionReason.objects.all(), start=1)}


class Queue:
    """What the moderator should see: the rows still listed, which one has the focus, and what
    each decision made of each comment."""

    KEYS = {"a": "approved", "r": "rejected", "s": "spam"}

    def __init__(self, page, pks, spam):
        self.page, self.rows, self.focus = page, list(pks), 0
        self.order = {pk: n for n, pk in enumerate(pks)}
        self.decided, self.undo_stack, self.spam = {}, [], spam
        self.reasons, self.why = reasons_by_key(), {}  # why: the reason of each rejection.

    def expect_counts(self):
        expect(self.page.locator('[data-count="pending"]')).to_have_text(str(len(self.rows)))
        spam = self.spam + sum(status == "spam" for status in self.decided.values())
        expect(self.page.locator('[data-count="spam"]')).to_have_text(str(spam))
        if self.rows:
            expect(focused(self.page)).to_have_id(f"comment-{self.rows[self.focus]}")

    def press(self, key):
        self.page.keyboard.press(key)
        if key in ("j", "k"):
            self.focus = max(0, min(len(self.rows) - 1, self.focus + (1 if key == "j" else -1)))
        elif key in self.KEYS:
            pk = self.rows.pop(self.focus)
            self.decided[pk] = self.KEYS[key]
            if key == "r":  # The dialog asks why: a digit picks the reason, Enter rejects.
                digit = str(len(self.why) % len(self.reasons) + 1)
                expect(self.page.get_by_role("dialog")).to_be_visible()
                self.page.keyboard.press(digit)
                self.page.keyboard.press("Enter")
                expect(self.page.get_by_role("dialog")).to_be_hidden()
                self.why[pk] = self.reasons[digit]
            self.undo_stack.append(pk)
            self.focus = min(self.focus, len(self.rows) - 1)
        elif key == "z":
            pk = self.undo_stack.pop()
            del self.decided[pk]
            self.why.pop(pk, None)
            self.rows.append(pk)
            self.rows.sort(key=self.order.get)
            self.focus = self.rows.index(pk)
        self.expect_counts()


def test_a_moderator_clears_fifty_comments_with_the_keyboard_alone(live_server, open_page):
    page = open_page(viewport={"width": 1280, "height": 800})
    pks = queue(60)  # More than one batch: the next is fetched as the list runs low.
    make_comment(status="spam")
    open_console(page, live_server)
    model = Queue(page, pks, spam=1)
    model.expect_counts()
    expect(page.locator(".console-row")).to_have_count(50)

    keys = []
    for n in range(50):
        keys += {10: ["j", "j", "k"], 20: ["a", "z"], 30: ["j"], 35: ["k"], 44: ["s", "z"]}.get(
            n, []
        )
        keys.append("arsaa"[n % 5])
    for key in keys:
        model.press(key)

    expect(page.get_by_role("status")).to_contain_text("was ")
    assert len(model.rows) == 10 and len(model.decided) == 50
    statuses = dict(Comment.objects.filter(pk__in=pks).values_list("pk", "status"))
    assert {pk: status for pk, status in statuses.items() if status != "pending"} == model.decided
    assert sorted(pk for pk, status in statuses.items() if status == "pending") == model.rows
    # Every rejection is audited with the reason its digit picked.
    rejections = Decision.objects.filter(to_status="rejected", comment__status="rejected")
    assert dict(rejections.values_list("comment_id", "reason")) == model.why
    assert len(model.why) == 10 and len(set(model.why.values())) == len(model.reasons)
    # The rows left are the ones still waiting, in the queue's order.
    listed = page.locator(".console-row").evaluate_all("rows => rows.map(r => +r.dataset.pk)")
    assert listed == model.rows

    # A reload tells the same story: the counts came from the server, not from the script.
    page.reload()
    expect(page.locator('[data-count="pending"]')).to_have_text("10")
    expect(page.locator(".console-row")).to_have_count(10)
    assert page.evaluate("window.cspViolations") == []  # The script ran under the strict CSP.


def test_the_keys_explain_themselves_open_the_commenter_and_leave_typing_alone(
    live_server, open_page
):
    page = open_page(viewport={"width": 1280, "height": 800})
    pks = queue(3)
    open_console(page, live_server)
    keys = page.locator(".console-keys")

    page.keyboard.press("?")
    expect(keys.get_by_text("undo the last decision")).to_be_visible()
    page.keyboard.press("Escape")
    expect(keys.get_by_text("undo the last decision")).to_be_hidden()

    with page.context.expect_page() as opened:
        page.keyboard.press("u")
    commenter = opened.value
    commenter.wait_for_load_state()
    # The commenter's history: everything they wrote, whatever became of it.
    expect(commenter.locator(".commenter-history")).to_contain_text("Comment number 00.")
    commenter.close()

    # A key typed into a text box is text, not a decision.
    page.evaluate("document.body.append(Object.assign(document.createElement('input'), {id: 'x'}))")
    page.locator("#x").press_sequentially("asrz")
    expect(page.locator("#x")).to_have_value("asrz")
    page.locator("#x").blur()
    expect(page.locator('[data-count="pending"]')).to_have_text("3")
    assert Comment.objects.filter(pk__in=pks, status="pending").count() == 3


def test_on_a_phone_a_moderator_decides_with_taps_and_undoes_with_the_undo_button(
    live_server, open_page, tmp_path
):
    width = 375
    page = open_page(viewport={"width": width, "height": 740}, has_touch=True, is_mobile=True)
    pks = queue(6)
    Comment.objects.filter(pk=pks[0]).update(
        body="A long address that must wrap: https://tenders.example.gov/documents/2025/"
        "pipeline-phase-two-schedule-annex-final-v3.pdf"
    )
    open_console(page, live_server)
    first = page.locator(f"#comment-{pks[0]}")
    undo = page.get_by_role("button", name="Undo", exact=True)
    page.screenshot(path=tmp_path / "console-phone.png", full_page=True)

    # Nothing wider than the screen; every button big enough for a thumb.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for button in first.get_by_role("button").all():
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    expect(undo).to_be_hidden()

    first.get_by_role("button", name="Approve").tap()
    expect(page.locator('[data-count="pending"]')).to_have_text("5")
    expect(first).to_have_count(0)
    page.locator(f"#comment-{pks[1]}").get_by_role("button", name="Spam").tap()
    expect(page.locator('[data-count="pending"]')).to_have_text("4")
    expect(page.locator('[data-count="spam"]')).to_have_text("1")
    expect(page.get_by_role("status")).to_have_text("The comment by Reader 01 was marked as spam.")

    undo.tap()
    expect(page.locator('[data-count="spam"]')).to_have_text("0")
    expect(page.locator('[data-count="pending"]')).to_have_text("5")
    expect(page.locator(".console-row").first).to_have_id(f"comment-{pks[1]}")
    assert undo.bounding_box()["height"] >= 44

    # Reject asks why: a dialog that fits the screen, each reason a button for a thumb.
    page.locator(f"#comment-{pks[2]}").get_by_role("button", name="Reject").tap()
    dialog = page.get_by_role("dialog", name="Why reject the comment by Reader 02?")
    expect(dialog).to_be_visible()
    page.screenshot(path=tmp_path / "console-phone-reasons.png")
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    for button in dialog.get_by_role("button").all():
        button_box = button.bounding_box()
        assert button_box["height"] >= 44 and button_box["width"] >= 44
        assert button_box["x"] >= 0 and button_box["x"] + button_box["width"] <= width
    dialog.get_by_role("button", name="Other").tap()
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#comment-{pks[2]}")).to_have_count(0)
    expect(page.locator('[data-count="pending"]')).to_have_text("4")
    statuses = dict(Comment.objects.filter(pk__in=pks[:3]).values_list("pk", "status"))
    assert statuses == {pks[0]: "approved", pks[1]: "pending", pks[2]: "rejected"}
    assert Decision.objects.get(comment_id=pks[2]).reason == "Other"
    assert page.evaluate("window.cspViolations") == []


def test_a_decision_the_site_cannot_answer_puts_the_comment_back(live_server, open_page):
    page = open_page(viewport={"width": 1280, "height": 800})
    pks = queue(3)
    open_console(page, live_server)
    # The site's own 503 page, as while the database is busy or away (newsroom/unavailable.py).
    busy = {"status": 503, "content_type": "text/html", "body": "<h1>Back soon</h1>"}
    page.route(
        f"**{CONSOLE}",
        lambda route: (
            route.fulfill(**busy) if route.request.method == "POST" else route.continue_()
        ),
    )

    page.keyboard.press("a")

    expect(page.get_by_role("status")).to_have_text(
        "Nothing was decided: the site could not answer. Try again in a moment."
    )
    expect(focused(page)).to_have_id(f"comment-{pks[0]}")  # Back in its place, in focus.
    expect(page.locator(".console-row")).to_have_count(3)
    expect(page.locator('[data-count="pending"]')).to_have_text("3")
    assert Comment.objects.get(pk=pks[0]).status == "pending"

    page.unroute(f"**{CONSOLE}")
    page.keyboard.press("a")  # Once the site answers, the same key decides it.
    expect(page.locator('[data-count="pending"]')).to_have_text("2")
    assert Comment.objects.get(pk=pks[0]).status == "approved"


def test_decisions_sent_while_the_next_rows_load_all_land(live_server, client):
    """The script fetches the next rows while decisions go out: the server answers both at once
    (each request thread with its own database connection), and no decision is refused."""
    pks = queue(80)  # A full batch of rows after the first, each time.
    client.force_login(make_user("moira", groups=["Moderators"], is_staff=True))
    token = "t" * 32  # The CSRF cookie's secret, sent back with each form as the admin expects.
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"

    def answer(data=None, after=""):
        url = live_server.url + CONSOLE + (f"?fragment=1&after={after}" if after else "")
        body = urllib.parse.urlencode(data).encode() if data else None
        headers = {"Cookie": cookie, "Accept": "application/json", "Origin": live_server.url}
        try:
            with urllib.request.urlopen(urllib.request.Request(url, body, headers)) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    loads, stop = [], threading.Event()
    loader = threading.Thread(
        target=lambda: [loads.append(answer(after=pks[0])) for _ in iter(stop.is_set, True)]
    )
    loader.start()
    try:
        decisions = [
            answer(
                {"csrfmiddlewaretoken": token, "comment": pk, "status": "approved"}
                | {"expected": "pending"}
            )
            for pk in pks
        ]
    finally:
        stop.set()
        loader.join()
    assert decisions == [200] * len(pks) and loads and set(loads) == {200}
    assert Comment.objects.filter(pk__in=pks, status="approved").count() == len(pks)


def test_without_javascript_the_buttons_still_decide(live_server, open_page):
    page = open_page(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    pks = queue(3)
    open_console(page, live_server)

    page.locator(f"#comment-{pks[0]}").get_by_role("button", name="Spam").click()

    expect(page.get_by_text("The comment by Reader 00 was marked as spam.")).to_be_visible()
    assert page.url.endswith(f"#comment-{pks[1]}")
    expect(page.locator(".console-row")).to_have_count(2)
    page.get_by_role("button", name="Undo the decision on the comment by Reader 00").click()
    expect(page.locator(".console-row")).to_have_count(3)
    assert Comment.objects.get(pk=pks[0]).status == "pending"


def test_without_javascript_reject_asks_why_on_a_page_then_returns(live_server, open_page):
    page = open_page(viewport={"width": 375, "height": 740}, java_script_enabled=False)
    pks = queue(3)
    open_console(page, live_server)

    page.locator(f"#comment-{pks[0]}").get_by_role("button", name="Reject").click()
    expect(page.get_by_role("heading", name="Why reject the comment by Reader 00?")).to_be_visible()
    expect(page.get_by_text("Comment number 00.")).to_be_visible()
    page.get_by_role("button", name="Reject").click()  # No reason chosen.
    expect(page.get_by_text("Please choose why")).to_be_visible()
    assert Comment.objects.get(pk=pks[0]).status == "pending"

    page.get_by_role("radio", name="Personal data").check()
    page.get_by_label("Note (optional)").fill("Names a neighbour.")
    page.get_by_role("button", name="Reject").click()

    expect(page.get_by_text("The comment by Reader 00 was rejected.")).to_be_visible()
    assert page.url.endswith(f"#comment-{pks[1]}")
    expect(page.locator(".console-row")).to_have_count(2)
    decision = Decision.objects.get(comment_id=pks[0])
    assert (decision.to_status, decision.reason, decision.note) == (
        "rejected",
        "Personal data",
        "Names a neighbour.",
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_reason_picker_is_a_dialog_the_keyboard_drives(live_server, open_page):
    page = open_page(viewport={"width": 1280, "height": 800})
    pks = queue(3)
    open_console(page, live_server)
    dialog = page.get_by_role("dialog", name="Why reject the comment by Reader 00?")
    first = page.locator(f"#comment-{pks[0]}")

    # Esc: nothing decided, the comment keeps the focus.
    page.keyboard.press("r")
    expect(dialog).to_be_visible()
    expect(dialog).to_be_focused()
    expect(dialog.get_by_role("button", name="3 Spam or advertising")).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(first).to_be_focused()
    expect(page.get_by_role("status")).to_have_text(
        "Not rejected: the comment by Reader 00 is still pending."
    )

    # Enter before a reason is picked rejects nothing; the keys of the console sleep meanwhile.
    page.keyboard.press("r")
    page.keyboard.press("Enter")
    expect(dialog.get_by_text("Pick a reason first")).to_be_visible()
    page.keyboard.press("a")
    expect(dialog).to_be_visible()
    assert Comment.objects.get(pk=pks[0]).status == "pending"

    # A digit picks, a note is typed (digits in it are text), Enter rejects with both.
    page.keyboard.press("2")
    expect(dialog.get_by_role("button", name="2 Abuse or harassment")).to_be_focused()
    expect(dialog.get_by_text("Abuse or harassment: Enter rejects the comment.")).to_be_visible()
    dialog.get_by_label("Note (optional)").fill("")
    page.keyboard.type("Rule 4 applies.")
    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    expect(first).to_have_count(0)
    expect(focused(page)).to_have_id(f"comment-{pks[1]}")
    expect(page.locator('[data-count="pending"]')).to_have_text("2")
    expect(page.get_by_role("status")).to_have_text("The comment by Reader 00 was rejected.")
    decision = Decision.objects.get(comment_id=pks[0])
    assert (decision.reason, decision.note) == ("Abuse or harassment", "Rule 4 applies.")

    # The Reject button opens the same dialog; Cancel closes it.
    page.locator(f"#comment-{pks[2]}").get_by_role("button", name="Reject").click()
    expect(page.get_by_role("dialog", name="Why reject the comment by Reader 02?")).to_be_visible()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.locator(f"#comment-{pks[2]}")).to_be_focused()
    assert Comment.objects.filter(pk__in=pks[1:], status="pending").count() == 2
    assert page.evaluate("window.cspViolations") == []


@pytest.mark.parametrize("viewport", [(1280, 800), (375, 740)], ids=["desk", "phone"])
def test_the_console_has_no_accessibility_violations(live_server, open_page, viewport):
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (make test does it)"
    width, height = viewport
    page = open_page(viewport={"width": width, "height": height}, bypass_csp=True)
    queue(5)
    Comment.objects.filter(status="pending").update(status="spam", spam_reason="Too many links.")
    queue(5)
    open_console(page, live_server)
    report = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.reload()  # Judged as loaded, not halfway through the admin's colour transitions.
        page.keyboard.press("?")
        report += describe(f"console [{width}, {scheme}]", axe_violations(page))
        page.keyboard.press("?")
        page.keyboard.press("r")
        page.keyboard.press("1")
        report += describe(f"reason picker [{width}, {scheme}]", axe_violations(page))
    page.goto(live_server.url + CONSOLE + "?queue=spam")
    report += describe(f"spam queue [{width}]", axe_violations(page))
    # The page that asks why without the script: the row's form sent as a browser would send it.
    page.locator(".console-row form").first.evaluate(
        """form => {
            form.append(Object.assign(document.createElement("input"),
                {type: "hidden", name: "status", value: "rejected"}));
            form.submit();
        }"""
    )
    expect(page.get_by_role("radio").first).to_be_visible()
    report += describe(f"why reject [{width}]", axe_violations(page))
    assert not report, "axe-core found violations:\n" + "\n".join(report)
