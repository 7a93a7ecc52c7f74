"""Newsletters: double opt-in, signed links, one-click unsubscribe, issues on their schedule
(time zones and DST), editors' edits kept, the email's parts and headers, and a send that
resumes after its worker died without sending anyone an issue twice."""

import re
import smtplib
from datetime import UTC, datetime, time, timedelta
from email import message_from_bytes

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletters import links, sending
from newsletters.emails import draw_issue, issue_message
from newsletters.models import Delivery, Issue, IssueStory, Newsletter, Subscriber

from .factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("newsletters:subscribe")
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture(autouse=True)
def quick(settings):
    settings.NEWSLETTER_RATE = 0  # No pacing: tests send a handful.
    settings.TIME_ZONE = "UTC"


def make_newsletter(**fields):
    defaults = {"name": "Morning Briefing", "slug": "morning", "offered_at_signup": True}
    return Newsletter.objects.create(**{**defaults, **fields})


def make_subscriber(newsletter, email="reader@example.com", **fields):
    subscriber = Subscriber.objects.create(email=email, confirmed_at=timezone.now(), **fields)
    subscriber.newsletters.add(newsletter)
    return subscriber


def links_in(text):
    return re.findall(r"https?://\S+", text)


# Signing up: double opt-in ---------------------------------------------------------------------


def sign_up(client, email="Reader@Example.com", **extra):
    return client.post(SUBSCRIBE, {"email": email, **extra}, **SAME_ORIGIN)


def test_signing_up_sends_a_confirmation_and_subscribes_nobody_until_it_is_followed(
    client, django_capture_on_commit_callbacks
):
    newsletter = make_newsletter()
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("newsletters:check-email")
    (message,) = mail.outbox
    assert message.to == ["reader@example.com"]
    assert "Morning Briefing" in message.body
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is None
    assert not Subscriber.objects.receiving().exists()

    (confirm_url,) = [url for url in links_in(message.body) if "/confirm/" in url]
    path = confirm_url.removeprefix("http://testserver")
    page = client.get(path)  # A link scanner's visit confirms nothing.
    assert page.status_code == 200
    assert Subscriber.objects.get().confirmed_at is None

    response = client.post(path)
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None
    assert list(subscriber.newsletters.all()) == [newsletter]
    assert client.get(response["Location"]).status_code == 200  # the manage page


def test_the_answer_does_not_say_whether_an_address_was_subscribed(
    client, django_capture_on_commit_callbacks
):
    newsletter = make_newsletter()
    make_subscriber(newsletter, email="known@example.com")
    known = sign_up(client, "known@example.com")
    unknown = sign_up(client, "new@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page = client.get(known["Location"])
    assert "check your email" in page.text.lower()
    assert "known@example.com" not in page.text


def test_a_bot_filling_the_hidden_field_is_told_the_same_and_nothing_is_sent(
    client, django_capture_on_commit_callbacks
):
    make_newsletter()
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, website="http://spam.example")
    assert response.status_code == 302
    assert mail.outbox == []
    assert not Subscriber.objects.exists()


def test_a_sign_up_from_another_site_is_refused(client):
    make_newsletter()
    response = client.post(SUBSCRIBE, {"email": "a@example.com"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_sign_ups_are_rate_limited(client, settings):
    settings.NEWSLETTER_SIGNUP_RATE_LIMIT = (2, 600)
    make_newsletter()
    codes = [sign_up(client, f"r{n}@example.com").status_code for n in range(3)]
    assert codes == [302, 302, 429]


def test_a_bad_address_gets_a_form_error_not_a_500(client):
    response = client.post(SUBSCRIBE, {"email": "not an address"}, **SAME_ORIGIN)
    assert response.status_code == 400
    assert "check your email address" in response.text


def test_one_address_gets_one_confirmation_email_per_quarter_hour(
    client, django_capture_on_commit_callbacks
):
    make_newsletter()
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
        sign_up(client, "READER@example.com")
    assert len(mail.outbox) == 1


def test_every_page_carries_the_same_sign_up_form(client):
    story = make_article()
    story_page = client.get(story.get_absolute_url()).text
    front_page = client.get(reverse("articles:front")).text
    for page in (story_page, front_page):
        (form,) = re.findall(r'<form class="newsletter-signup".*?</form>', page, re.DOTALL)
        assert 'name="email"' in form and 'name="website"' in form
        assert "csrfmiddlewaretoken" not in form  # nothing per reader: the page stays cacheable
    # On a story's page it comes after the story, before the comments.
    assert story_page.index("newsletter-signup") < story_page.index('id="comments"')


# Signed links ----------------------------------------------------------------------------------


def test_a_tampered_or_foreign_link_is_refused(client):
    newsletter = make_newsletter()
    subscriber = make_subscriber(newsletter)
    key = links.make_key(links.MANAGE, subscriber)
    assert client.get(reverse("newsletters:manage", args=[key])).status_code == 200

    tampered = key[:-2] + ("A" if key[-2] != "A" else "B") + key[-1]
    assert client.get(reverse("newsletters:manage", args=[tampered])).status_code == 404
    # Another purpose's key, validly signed, opens nothing here.
    unsubscribe_key = links.make_key(links.UNSUBSCRIBE, subscriber, newsletter.pk)
    assert client.get(reverse("newsletters:manage", args=[unsubscribe_key])).status_code == 404
    # A new token (an erased and re-made subscriber) voids the old links.
    subscriber.token = "another"
    subscriber.save()
    assert client.get(reverse("newsletters:manage", args=[key])).status_code == 404


def test_a_confirmation_link_expires(client, settings):
    newsletter = make_newsletter()
    subscriber = Subscriber.objects.create(email="late@example.com")
    url = links.confirm_url(subscriber, [newsletter.pk]).removeprefix("http://testserver")
    settings.NEWSLETTER_CONFIRM_DAYS = 0
    signing_time = timezone.now() + timedelta(seconds=5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: signing_time.timestamp())
        assert client.post(url).status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_the_manage_page_changes_subscriptions_and_shows_no_address(client):
    briefing = make_newsletter()
    sport = make_newsletter(name="Sport weekly", slug="sport", offered_at_signup=False)
    subscriber = make_subscriber(briefing)
    url = reverse("newsletters:manage", args=[links.make_key(links.MANAGE, subscriber)])
    page = client.get(url)
    assert "reader@example.com" not in page.text
    client.post(url, {"newsletters": [sport.pk]})
    assert list(subscriber.newsletters.all()) == [sport]


# Unsubscribing ---------------------------------------------------------------------------------


def test_one_click_unsubscribe_by_post_without_cookie_or_token():
    newsletter = make_newsletter()
    subscriber = make_subscriber(newsletter)
    url = links.unsubscribe_url(subscriber, newsletter.pk).removeprefix("http://testserver")
    client = Client(enforce_csrf_checks=True)  # as a mail provider's POST: no cookie, no token

    page = client.get(url)  # A GET changes nothing: it shows a button.
    assert page.status_code == 200
    assert subscriber.newsletters.exists()

    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not subscriber.newsletters.exists()


# Issues on their schedule ----------------------------------------------------------------------


def test_the_daily_briefing_goes_at_seven_local_time_across_the_clock_change(settings):
    settings.TIME_ZONE = "Europe/London"
    newsletter = make_newsletter(send_time=time(7, 0))
    # The day before British Summer Time starts (29 March 2026): 07:00 GMT is 07:00 UTC...
    saturday = newsletter.next_send_after(datetime(2026, 3, 27, 12, 0, tzinfo=UTC))
    assert saturday == datetime(2026, 3, 28, 7, 0, tzinfo=UTC)
    # ...and the next morning 07:00 BST is 06:00 UTC: still seven o'clock for readers.
    assert newsletter.next_send_after(saturday) == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
    # Back in October: 07:00 BST (06:00 UTC) then 07:00 GMT (07:00 UTC).
    october = newsletter.next_send_after(datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    assert october == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)
    assert newsletter.next_send_after(datetime(2026, 10, 24, 0, 0, tzinfo=UTC)) == datetime(
        2026, 10, 24, 6, 0, tzinfo=UTC
    )


def test_a_time_in_the_spring_gap_goes_out_once_that_morning(settings):
    settings.TIME_ZONE = "America/New_York"
    newsletter = make_newsletter(send_time=time(2, 30))  # 02:30 does not exist on 8 March 2026
    at = newsletter.next_send_after(datetime(2026, 3, 8, 5, 0, tzinfo=UTC))
    assert at == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT
    assert newsletter.next_send_after(at) == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)


def test_a_weekly_newsletter_goes_on_its_day_in_another_time_zone(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    newsletter = make_newsletter(days="4", send_time=time(18, 0))  # Fridays 18:00 JST
    at = newsletter.next_send_after(datetime(2026, 12, 7, 0, 0, tzinfo=UTC))  # a Monday
    assert at == datetime(2026, 12, 11, 9, 0, tzinfo=UTC)
    assert timezone.localtime(at).weekday() == 4


def test_an_issue_holds_the_stories_since_the_last_lead_first_then_by_section():
    now = timezone.now()
    newsletter = make_newsletter()
    news, sport = make_category(name="News", position=1), make_category(name="Sport", position=2)
    old = make_article(category=news, published_at=now - timedelta(days=3))
    sport_story = make_article(category=sport, published_at=now - timedelta(hours=3))
    news_story = make_article(category=news, published_at=now - timedelta(hours=2))
    lead = make_article(category=sport, published_at=now - timedelta(hours=5), is_featured=True)
    issue = Issue.objects.create(newsletter=newsletter, scheduled_for=now + timedelta(hours=1))

    issue.refresh_stories(now)

    assert issue.articles() == [lead, news_story, sport_story]
    assert old not in issue.articles()


def test_editors_order_drops_and_introduction_are_kept_when_new_stories_arrive():
    now = timezone.now()
    newsletter = make_newsletter()
    first = make_article(published_at=now - timedelta(hours=3))
    second = make_article(published_at=now - timedelta(hours=2))
    issue = Issue.objects.create(newsletter=newsletter, scheduled_for=now + timedelta(hours=1))
    issue.refresh_stories(now)
    entries = {e.article_id: e for e in issue.entries.all()}
    entries[second.pk].position, entries[first.pk].position = 1, 2
    entries[second.pk].save()
    entries[first.pk].save()
    IssueStory.objects.filter(issue=issue, article=first).update(dropped=True)
    issue.intro = "Good morning."
    issue.save()

    later = make_article(published_at=now - timedelta(minutes=30))
    issue.refresh_stories(now)
    issue.refresh_from_db()

    assert issue.articles() == [second, later]
    assert issue.intro == "Good morning."


# The email -------------------------------------------------------------------------------------


def test_the_email_has_html_and_text_parts_and_the_one_click_headers(settings):
    settings.NEWSLETTER_UNSUBSCRIBE_MAILTO = "unsubscribe@example.com"
    newsletter = make_newsletter()
    subscriber = make_subscriber(newsletter)
    story = make_article(title="Rivers rise")
    issue = newsletter.upcoming_issue()
    IssueStory.objects.create(issue=issue, article=story, position=1)
    issue.intro = "Good morning."
    issue.save()

    message = issue_message(draw_issue(issue), issue, subscriber).message()
    parsed = message_from_bytes(message.as_bytes())

    kinds = [part.get_content_type() for part in parsed.walk()]
    assert "text/plain" in kinds and "text/html" in kinds
    text = next(p for p in parsed.walk() if p.get_content_type() == "text/plain")
    html = next(p for p in parsed.walk() if p.get_content_type() == "text/html")
    text_body = text.get_payload(decode=True).decode()
    html_body = html.get_payload(decode=True).decode()
    assert "Rivers rise" in text_body and "Good morning." in text_body
    assert "http://testserver" + story.get_absolute_url() in html_body
    assert 'style="' in html_body and "<table" in html_body and "prefers-color-scheme" in html_body
    one_click = links.unsubscribe_url(subscriber, newsletter.pk)
    assert parsed["List-Unsubscribe"] == (
        f"<{one_click}>, <mailto:unsubscribe@example.com?subject=unsubscribe>"
    )
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert one_click in text_body
    assert links.manage_url(subscriber) in text_body
    assert "Rivers rise" in parsed["Subject"]


# Sending ---------------------------------------------------------------------------------------


def due_issue(newsletter, now):
    make_article(published_at=now - timedelta(hours=1))
    issue = newsletter.upcoming_issue(now - timedelta(days=1))
    Issue.objects.filter(pk=issue.pk).update(scheduled_for=now - timedelta(minutes=1))
    return Issue.objects.get(pk=issue.pk)


def test_a_due_issue_goes_once_to_each_confirmed_subscriber(django_capture_on_commit_callbacks):
    now = timezone.now()
    newsletter = make_newsletter()
    for n in range(3):
        make_subscriber(newsletter, email=f"r{n}@example.com")
    Subscriber.objects.create(email="unconfirmed@example.com").newsletters.add(newsletter)
    make_subscriber(newsletter, email="paused@example.com", paused_at=now)
    issue = due_issue(newsletter, now)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_newsletters", verbosity=0)
        call_command("send_due_newsletters", verbosity=0)  # again: nothing more goes

    assert sorted(m.to[0] for m in mail.outbox) == [f"r{n}@example.com" for n in range(3)]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    # The next issue waits for editors.
    assert newsletter.issues.filter(status=Issue.Status.DRAFT).count() == 1


def test_a_held_issue_is_not_sent_until_released(django_capture_on_commit_callbacks):
    now = timezone.now()
    newsletter = make_newsletter()
    make_subscriber(newsletter)
    issue = due_issue(newsletter, now)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.HELD)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_newsletters", verbosity=0)
    assert mail.outbox == []
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_newsletters", verbosity=0)
    assert len(mail.outbox) == 1


def test_a_send_interrupted_by_a_dead_worker_resumes_and_nobody_gets_it_twice(
    settings, django_capture_on_commit_callbacks
):
    now = timezone.now()
    newsletter = make_newsletter()
    for n in range(5):
        make_subscriber(newsletter, email=f"r{n}@example.com")
    issue = due_issue(newsletter, now)
    with django_capture_on_commit_callbacks(execute=False):  # the batch task never runs
        sending.start_issue(issue, now)
    # A worker sent two, then died holding a claim on two more.
    first = sending.claim(issue.pk, size=4)
    drawn = draw_issue(issue)
    for delivery in first[:2]:
        mail.outbox.append(issue_message(drawn, issue, delivery.subscriber))
        sending.mark_sent(delivery)
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).count() == 2

    # Too soon: the dead worker's claims may still be a live worker's; only the fifth is free.
    (free,) = sending.claim(issue.pk)
    Delivery.objects.filter(pk=free.pk).update(status=Delivery.Status.PENDING, claim="")

    settings.NEWSLETTER_CLAIM_SECONDS = 0
    Issue.objects.filter(pk=issue.pk).update(progress_at=now - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_newsletters", verbosity=0)

    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(recipients) == [f"r{n}@example.com" for n in range(5)]
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT


def test_a_refused_address_is_retried_with_back_off_then_paused(settings):
    settings.NEWSLETTER_MAX_FAILURES = 2
    now = timezone.now()
    newsletter = make_newsletter()
    subscriber = make_subscriber(newsletter, email="gone@example.com")
    issue = due_issue(newsletter, now)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)
    delivery = Delivery.objects.create(issue=issue, subscriber=subscriber, next_try=now)
    refusal = smtplib.SMTPRecipientsRefused({"gone@example.com": (550, b"No such user")})

    (claimed,) = sending.claim(issue.pk)
    sending.mark_failed(claimed, refusal)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.next_try >= now + timedelta(minutes=5)
    assert sending.claim(issue.pk) == []  # not before its time

    Delivery.objects.filter(pk=delivery.pk).update(next_try=now)
    (claimed,) = sending.claim(issue.pk)
    sending.mark_failed(claimed, refusal)
    delivery.refresh_from_db()
    subscriber.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert subscriber.paused_at is not None
    assert not Subscriber.objects.receiving().exists()


# Privacy ---------------------------------------------------------------------------------------


def test_unconfirmed_sign_ups_expire(settings):
    settings.NEWSLETTER_CONFIRM_DAYS = 7
    Subscriber.objects.create(
        email="old@example.com", created_at=timezone.now() - timedelta(days=8)
    )
    Subscriber.objects.create(email="new@example.com")
    make_subscriber(make_newsletter(), email="kept@example.com")
    Subscriber.objects.filter(email="kept@example.com").update(
        created_at=timezone.now() - timedelta(days=30)
    )
    call_command("expire_newsletter_signups", verbosity=0)
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "kept@example.com",
        "new@example.com",
    ]


def test_export_and_erase_a_subscriber(capsys):
    make_subscriber(make_newsletter())
    call_command("export_subscriber", "READER@example.com")
    out = capsys.readouterr().out
    assert '"Morning Briefing"' in out and "reader@example.com" in out
    call_command("erase_subscriber", "reader@example.com", yes=True, verbosity=0)
    assert not Subscriber.objects.exists()


# Editors in the admin: each role against each route -------------------------------------------

ROLES = {
    "anonymous": None,
    "reader": {},
    "writer": {"is_staff": True, "groups": ["Writers"]},
    "editor": {"is_staff": True, "groups": ["Editors"]},
    "moderator": {"is_staff": True, "groups": ["Moderators"]},
    "superuser": {"is_staff": True, "is_superuser": True},
}


def client_as(role):
    client = Client()
    if ROLES[role] is not None:
        client.force_login(make_user(email=f"{role}@example.com", **ROLES[role]))
    return client


def allowed(response):
    return response.status_code in (200, 302) and "/admin/login/" not in response.get(
        "Location", ""
    )


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_against_each_admin_route(role, django_capture_on_commit_callbacks):
    newsletter = make_newsletter()
    make_subscriber(newsletter)
    issue = newsletter.upcoming_issue()
    IssueStory.objects.create(issue=issue, article=make_article(), position=1)
    client = client_as(role)
    edits = role in ("editor", "superuser")

    routes = {
        "newsletters": client.get(reverse("admin:newsletters_newsletter_changelist")),
        "issue": client.get(reverse("admin:newsletters_issue_change", args=[issue.pk])),
        "preview html": client.get(
            reverse("admin:newsletters_issue_preview", args=[issue.pk, "html"])
        ),
        "preview text": client.get(
            reverse("admin:newsletters_issue_preview", args=[issue.pk, "text"])
        ),
    }
    with django_capture_on_commit_callbacks(execute=True):
        routes["send test"] = client.post(
            reverse("admin:newsletters_issue_send_test", args=[issue.pk])
        )
    routes["subscribers"] = client.get(reverse("admin:newsletters_subscriber_changelist"))

    assert {name: allowed(r) for name, r in routes.items()} == {
        "newsletters": edits,
        "issue": edits,
        "preview html": edits,
        "preview text": edits,
        "send test": edits,
        "subscribers": role == "superuser",
    }
    assert [m.to for m in mail.outbox] == ([[f"{role}@example.com"]] if edits else [])
    if edits:
        assert "reader@example.com" not in routes["newsletters"].text  # counts, not addresses
        assert "<table" in routes["preview html"].text


def test_an_editor_holds_reorders_drops_and_introduces_an_issue():
    newsletter = make_newsletter()
    issue = newsletter.upcoming_issue()
    a, b = make_article(), make_article()
    ea = IssueStory.objects.create(issue=issue, article=a, position=1)
    eb = IssueStory.objects.create(issue=issue, article=b, position=2)
    client = client_as("editor")
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    data = {
        "status": "held",
        "intro": "Two stories today.",
        "entries-TOTAL_FORMS": "2",
        "entries-INITIAL_FORMS": "2",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
        "entries-0-id": ea.pk,
        "entries-0-issue": issue.pk,
        "entries-0-position": "2",
        "entries-1-id": eb.pk,
        "entries-1-issue": issue.pk,
        "entries-1-position": "1",
        "entries-1-dropped": "",
        "entries-0-dropped": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.text[:2000]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.HELD
    assert issue.intro == "Two stories today."
    assert issue.articles() == [b]


def test_a_sent_issue_cannot_be_changed():
    newsletter = make_newsletter()
    issue = newsletter.upcoming_issue()
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT)
    client = client_as("editor")
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    client.post(url, {"status": "draft", "intro": "changed"})
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT and issue.intro == ""


def test_the_demo_has_a_daily_briefing_offered_at_sign_up():
    call_command("load_demo", "--no-images", verbosity=0)
    briefing = Newsletter.objects.get(offered_at_signup=True)
    assert briefing.days == "0123456" and briefing.send_time == time(7, 0)


def test_an_issue_can_be_sent_now_rather_than_at_its_time(django_capture_on_commit_callbacks):
    newsletter = make_newsletter()
    make_subscriber(newsletter)
    make_article(published_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_newsletters", now="morning", verbosity=0)
    (message,) = mail.outbox
    assert message.to == ["reader@example.com"]
    assert newsletter.issues.filter(status=Issue.Status.DRAFT).count() == 1  # the next one


def test_every_newsletters_admin_page_renders():
    newsletter = make_newsletter()
    subscriber = make_subscriber(newsletter)
    issue = newsletter.upcoming_issue()
    IssueStory.objects.create(issue=issue, article=make_article(), position=1)
    client = client_as("superuser")
    for url in (
        reverse("admin:newsletters_newsletter_changelist"),
        reverse("admin:newsletters_newsletter_add"),
        reverse("admin:newsletters_newsletter_change", args=[newsletter.pk]),
        reverse("admin:newsletters_issue_changelist"),
        reverse("admin:newsletters_issue_change", args=[issue.pk]),
        reverse("admin:newsletters_subscriber_changelist"),
        reverse("admin:newsletters_subscriber_change", args=[subscriber.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_a_section_newsletter_needs_its_section():
    client = client_as("editor")
    response = client.post(
        reverse("admin:newsletters_newsletter_add"),
        {
            "name": "Sport",
            "slug": "sport",
            "kind": "section",
            "send_time": "07:00",
            "days": "0123456",
        },
    )
    assert response.status_code == 200
    assert "needs this" in response.text
    assert not Newsletter.objects.filter(slug="sport").exists()


def test_a_sign_up_from_an_old_browser_with_our_origin_is_accepted_and_another_is_refused(client):
    make_newsletter()
    ours = client.post(SUBSCRIBE, {"email": "a@example.com"}, HTTP_ORIGIN="http://testserver")
    theirs = client.post(SUBSCRIBE, {"email": "b@example.com"}, HTTP_ORIGIN="https://evil.example")
    assert (ours.status_code, theirs.status_code) == (302, 403)
