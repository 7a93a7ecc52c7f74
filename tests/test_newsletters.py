"""Newsletters for readers: double opt-in, signed links (tampered ones refused), one-click
unsubscribe, issues on their schedule (time zones and DST), editors' edits kept, the email's
parts and headers. Sending: test_newsletter_sending.py; the admin: test_newsletter_admin.py."""

import re
from datetime import UTC, datetime, time, timedelta
from email import message_from_bytes

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletters import links
from newsletters.emails import draw_issue, issue_message
from newsletters.models import Issue, IssueStory, Subscriber

from .factories import make_article, make_category, make_newsletter, make_subscriber

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("newsletters:subscribe")
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture(autouse=True)
def quick(settings):
    settings.NEWSLETTER_RATE = 0  # No pacing: tests send a handful.
    settings.TIME_ZONE = "UTC"


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
        (form,) = re.findall(r'<form class="signup".*?</form>', page, re.DOTALL)
        assert 'name="email"' in form and 'name="website"' in form
        assert "csrfmiddlewaretoken" not in form  # nothing per reader: the page stays cacheable
    # On a story's page it comes after the story, before the comments.
    assert story_page.index('class="signup"') < story_page.index('id="comments"')


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


def test_a_sign_up_from_an_old_browser_with_our_origin_is_accepted_and_another_is_refused(client):
    make_newsletter()
    ours = client.post(SUBSCRIBE, {"email": "a@example.com"}, HTTP_ORIGIN="http://testserver")
    theirs = client.post(SUBSCRIBE, {"email": "b@example.com"}, HTTP_ORIGIN="https://evil.example")
    assert (ours.status_code, theirs.status_code) == (302, 403)
