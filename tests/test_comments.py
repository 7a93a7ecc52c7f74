import re
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.forms import BAD_PARENT, FORM_EXPIRED
from comments.models import BODY_MAX_LENGTH, Comment
from comments.moderation import moderator

from .factories import make_article, make_comment

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Daniyar",
    "email": "daniyar@example.com",
    "body": "A fair summary.",
    "website": "",
}


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """Posts are counted per address in the cache: every test starts, and leaves, at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rate_clock(monkeypatch):
    """The clock the rate limit reads, held still (a window boundary must not pass mid-test)."""
    clock = SimpleNamespace(now=1_800_000_123.0)
    monkeypatch.setattr("client_address.limits.time", SimpleNamespace(time=lambda: clock.now))
    return clock


def make_story(**fields):
    """A story published an hour ago. make_article() dates each story further back the more
    objects the run has made, and comments close COMMENTS_CLOSE_AFTER_DAYS after publication."""
    return make_article(**{"published_at": timezone.now() - timedelta(hours=1), **fields})


def a_minute_ago():
    """The signed time of a form shown a minute ago: a person's pace, above the minimum."""
    return moderator.shown_at_token(timezone.now() - timedelta(minutes=1))


def post(client, article, **data):
    return client.post(
        reverse("comments:post", args=[article.pk]),
        {**VALID, "shown_at": a_minute_ago(), **data},
        follow=True,
    )


def form_token(page):
    return re.search(r'name="shown_at" value="([^"]+)"', page)[1]


def test_a_valid_comment_is_stored_pending_and_the_reader_is_told(client):
    story = make_story()

    response = post(client, story, body="First line\nsecond line")

    assert response.redirect_chain == [(story.get_absolute_url() + "#comments", 302)]
    assert "will appear once a moderator has approved it" in response.text
    comment = Comment.objects.get()
    assert (comment.article, comment.name, comment.email) == (story, "Daniyar", VALID["email"])
    assert comment.status == Comment.Status.PENDING
    assert (comment.parent, comment.spam_reason) == (None, "")
    assert comment.ip_address == "127.0.0.1"
    # Pending comments are not shown until approved.
    assert "First line" not in response.text


def test_the_form_is_csrf_protected(client):
    from django.test import Client

    story = make_story()
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(
        reverse("comments:post", args=[story.pk]), {**VALID, "shown_at": a_minute_ago()}
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_the_article_page_form_needs_no_token_no_cookie_and_no_script(client):
    """The page is shared from the cache: the browser's Sec-Fetch-Site replaces the token."""
    story = make_story()
    page = client.get(story.get_absolute_url())
    assert 'id="comment-form"' in page.text
    assert "csrfmiddlewaretoken" not in page.text
    assert "comment-form.js" not in page.text
    assert not page.cookies
    assert client.get("/comments/form-token/").status_code == 404


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Please give a name to show with your comment."),
        ({"name": "   "}, "name", "Please give a name to show with your comment."),
        ({"email": "not-an-address"}, "email", "Please give a valid email address"),
        ({"email": ""}, "email", "Please give your email address"),
        ({"body": ""}, "body", "Please write a comment."),
        (
            {"body": "x" * (BODY_MAX_LENGTH + 1)},
            "body",
            "Please shorten your comment to 3,000 characters (it has 3001).",
        ),
        ({"body": "null\x00byte"}, "body", "Null characters are not allowed."),
    ],
)
def test_invalid_comments_show_errors_and_keep_what_was_typed(client, data, field, message):
    story = make_story()

    response = post(client, story, **{**VALID, "body": "My considered view", **data})

    assert response.status_code == 200
    assert not Comment.objects.exists()
    form = response.context["comment_form"]
    assert message in " ".join(form.errors[field])
    assert "Please correct the" in response.text
    # What the reader typed in the other fields is still there.
    kept = {
        key: value for key, value in {**VALID, "body": "My considered view"}.items() if key != field
    }
    for key, value in kept.items():
        if value and key != "website":
            assert value in response.text


def test_the_length_limit_is_stated_on_the_form(client):
    page = client.get(make_story().get_absolute_url()).text
    assert "Plain text, up to 3,000 characters." in page
    assert 'maxlength="3000"' in page


def test_honeypot_submissions_are_filed_as_spam_but_look_accepted(client, mailoutbox):
    story = make_story()

    response = post(client, story, website="http://spam.example")

    assert "will appear once a moderator has approved it" in response.text
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert "hidden field" in comment.spam_reason
    assert mailoutbox == []


def test_comments_on_closed_stories_are_refused(client):
    story = make_story(comment_mode="closed")

    response = post(client, story)

    assert "Comments are closed on this story." in response.text
    assert not Comment.objects.exists()


@pytest.mark.parametrize("state", ["draft", "scheduled", "missing"])
def test_comments_on_unpublished_or_missing_stories_are_404(client, state):
    story = make_story(
        status=Article.Status.DRAFT if state == "draft" else Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=1 if state == "scheduled" else -1),
    )
    article_id = story.pk + 1000 if state == "missing" else story.pk

    response = client.post(reverse("comments:post", args=[article_id]), VALID)

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_get_on_the_post_address_is_refused(client):
    story = make_story()
    assert client.get(reverse("comments:post", args=[story.pk])).status_code == 405


def test_comment_text_is_escaped_and_keeps_line_breaks(client):
    story = make_story()
    Comment.objects.create(
        article=story,
        name="<b>Mallory</b>",
        email="m@example.com",
        body="I <b>love</b> this & <script>alert(1)</script>\n\nSecond paragraph\nsame one",
        status=Comment.Status.APPROVED,
    )

    page = client.get(story.get_absolute_url()).text

    assert "<script>alert(1)</script>" not in page
    assert "<b>love</b>" not in page and "<b>Mallory</b>" not in page
    assert "I &lt;b&gt;love&lt;/b&gt; this &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<p>Second paragraph<br>same one</p>" in page


def test_approved_comment_appears_on_the_page(client):
    story = make_story()
    post(client, story, body="Worth reading.")
    comment = Comment.objects.get()
    assert "Worth reading." not in client.get(story.get_absolute_url()).text

    comment.status = Comment.Status.APPROVED
    comment.save()

    assert "Worth reading." in client.get(story.get_absolute_url()).text


# Replies


def test_a_reply_is_stored_under_its_comment_and_waits_for_moderation(client):
    story = make_story()
    thread = make_comment(story, status="approved")

    response = post(client, story, parent=thread.pk, body="I disagree.")

    assert "will appear once a moderator has approved it" in response.text
    reply = Comment.objects.get(body="I disagree.")
    assert (reply.parent, reply.article, reply.status) == (thread, story, "pending")


def test_a_reply_to_a_reply_joins_its_thread(client):
    story = make_story()
    thread = make_comment(story, status="approved")
    answer = make_comment(story, parent=thread, status="approved")

    post(client, story, parent=answer.pk, body="Both of you are right.")

    assert Comment.objects.get(body="Both of you are right.").parent == thread


@pytest.mark.parametrize(
    "target", ["other story", "pending", "rejected", "missing", "not a number"]
)
def test_replies_to_comments_that_cannot_be_answered_are_refused_clearly(client, target):
    story = make_story()
    parent = {
        "other story": lambda: make_comment(make_story(), status="approved").pk,
        "pending": lambda: make_comment(story, status="pending").pk,
        "rejected": lambda: make_comment(story, status="rejected").pk,
        "missing": lambda: 999999,
        "not a number": lambda: "12abc",
    }[target]()
    before = Comment.objects.count()

    response = post(client, story, parent=parent, body="My reply, carefully written.")

    assert response.status_code == 200
    assert Comment.objects.count() == before
    assert BAD_PARENT.split(":")[0] in response.text
    assert "My reply, carefully written." in response.text
    # Posting again from this form adds the comment on its own instead of failing again.
    assert '<input type="hidden" name="parent" value="">' in response.text


def test_the_page_nests_approved_replies_under_their_comment_and_counts_them(client):
    story = make_story()
    now = timezone.now()
    first = make_comment(
        story, body="First thread", status="approved", created_at=now - timedelta(hours=3)
    )
    second = make_comment(
        story, body="Second thread", status="approved", created_at=now - timedelta(hours=2)
    )
    make_comment(
        story, parent=first, body="A reply", status="approved", created_at=now - timedelta(hours=1)
    )
    make_comment(story, parent=first, body="Waiting reply", status="pending")
    hidden_thread = make_comment(story, body="Rejected thread", status="rejected")
    make_comment(story, parent=hidden_thread, body="Orphaned reply", status="approved")

    page = client.get(story.get_absolute_url()).text

    assert 'Comments <span class="count">(3)</span>' in page
    assert page.index("First thread") < page.index("A reply") < page.index("Second thread")
    replies = page[page.index('<ol class="comment-replies"') : page.index("Second thread")]
    assert "A reply" in replies
    for hidden in ("Waiting reply", "Rejected thread", "Orphaned reply"):
        assert hidden not in page
    assert f'href="?replyto={second.pk}#comment-form"' in page


def test_the_article_page_runs_the_same_queries_however_many_comments(client):
    story = make_story()
    make_comment(story, status="approved")
    client.get(story.get_absolute_url())  # The first page of all also creates the About row.
    cache.clear()
    with CaptureQueriesContext(connection) as one:
        client.get(story.get_absolute_url())

    for _ in range(4):
        thread = make_comment(story, status="approved")
        make_comment(story, parent=thread, status="approved")
        make_comment(story, parent=thread, status="approved")
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        page = client.get(story.get_absolute_url()).text

    assert 'Comments <span class="count">(13)</span>' in page
    assert len(many) == len(one)


def test_the_reply_link_opens_the_form_answering_that_comment(client):
    story = make_story()
    thread = make_comment(story, name="Aigerim", status="approved")
    answer = make_comment(story, parent=thread, name="Bolat", status="approved")

    for replyto in (thread.pk, answer.pk):
        page = client.get(story.get_absolute_url(), {"replyto": replyto}).text
        assert "Replying to" in page and "Aigerim’s comment" in page
        assert f'<input type="hidden" name="parent" value="{thread.pk}">' in page
        assert f'href="{story.get_absolute_url()}#comment-form">Cancel reply</a>' in page
        assert "Post reply" in page


@pytest.mark.parametrize("replyto", ["nonsense", "999999", ""])
def test_a_reply_link_to_nothing_shows_the_ordinary_form(client, replyto):
    story = make_story()

    response = client.get(story.get_absolute_url(), {"replyto": replyto})

    assert response.status_code == 200
    assert "Leave a comment" in response.text and "Replying to" not in response.text


# Closing after N days


def test_comments_close_the_configured_number_of_days_after_publication(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    young = make_story(published_at=timezone.now() - timedelta(days=29))
    old = make_story(published_at=timezone.now() - timedelta(days=31))

    young_page = client.get(young.get_absolute_url()).text
    old_page = client.get(old.get_absolute_url()).text
    refused = post(client, old)

    assert "Post comment" in young_page
    closes = timezone.localdate(young.published_at + timedelta(days=30))
    assert f"Comments close on {closes.day} {closes:%B %Y}." in young_page
    assert "Comments are closed on this story." in old_page and "Post comment" not in old_page
    assert "Comments are closed on this story." in refused.text
    assert not Comment.objects.exists()


def test_a_story_closes_once_the_clock_passes_its_deadline(client, settings, monkeypatch):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 7
    story = make_story(published_at=timezone.now() - timedelta(hours=1))
    assert "Post comment" in client.get(story.get_absolute_url()).text

    later = timezone.now() + timedelta(days=7)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "Comments are closed on this story." in client.get(story.get_absolute_url()).text
    post(client, story, shown_at=moderator.shown_at_token(later - timedelta(minutes=1)))
    assert not Comment.objects.exists()


def test_zero_days_keeps_comments_open_for_good(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    story = make_story(published_at=timezone.now() - timedelta(days=5 * 365))

    post(client, story)

    assert Comment.objects.filter(article=story).exists()


# Spam defences


def test_the_form_on_the_page_carries_a_signed_time(client, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    story = make_story()
    token = form_token(client.get(story.get_absolute_url()).text)

    post(client, story, shown_at=token)

    assert Comment.objects.get().status == Comment.Status.PENDING


def test_a_form_posted_faster_than_a_person_types_is_spam(
    client, settings, mailoutbox, monkeypatch
):
    settings.COMMENTS_MIN_SECONDS = 3
    story = make_story()
    # The shared page's form is dated to the start of its cache period: open it just then.
    period = moderator.stamp_period()
    start = timezone.now().replace(microsecond=0) + timedelta(seconds=period)
    start -= timedelta(seconds=int(start.timestamp()) % period)
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(seconds=1))
    token = form_token(client.get(story.get_absolute_url()).text)

    response = post(client, story, shown_at=token)

    assert "will appear once a moderator has approved it" in response.text
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert "seconds after the form was shown" in comment.spam_reason
    assert mailoutbox == []


@pytest.mark.parametrize(
    "token",
    [
        "",
        "forged-value",
        signing.dumps(time.time() - 60, salt="another purpose"),
        moderator.shown_at_token(timezone.now() - timedelta(days=2)),
        moderator.shown_at_token(timezone.now() + timedelta(hours=1)),
    ],
    ids=["missing", "forged", "signed-elsewhere", "expired", "from-the-future"],
)
def test_an_unreadable_form_time_asks_the_reader_to_post_again(client, token):
    story = make_story()

    response = post(client, story, shown_at=token, body="Keep this text, please.")

    assert response.status_code == 200
    assert not Comment.objects.exists()
    assert FORM_EXPIRED.split(":")[0] in response.text
    assert "Keep this text, please." in response.text
    # The form shown again carries a fresh, valid time, so posting it again works.
    fresh = form_token(response.text)
    assert fresh != token
    # Dated now, not to the page's cache period: the reader's next post is timed from here.
    assert 0 <= moderator.seconds_since_shown(fresh) < 5


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("See https://a.example and www.b.example", "pending"),
        ("See https://a.example, http://b.example and www.c.example", "spam"),
    ],
)
def test_comments_with_too_many_links_are_spam(client, settings, body, status):
    settings.COMMENTS_MAX_LINKS = 2
    story = make_story()

    response = post(client, story, body=body)

    assert "will appear once a moderator has approved it" in response.text
    assert Comment.objects.get().status == status


def test_posting_too_often_from_one_address_gets_a_friendly_429(client, settings, rate_clock):
    settings.COMMENTS_RATE_LIMIT = (2, 600)
    story = make_story(title="The story under discussion")

    for _ in range(2):
        assert post(client, story).redirect_chain[-1][1] == 302
    response = post(client, story, body="One too many")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert "Please wait a moment" in response.text
    assert "You can post again in" in response.text and "minute" in response.text
    assert f'href="{story.get_absolute_url()}#comments"' in response.text
    assert 'class="masthead"' in response.text  # The site's own look.
    assert not Comment.objects.filter(body="One too many").exists()
    # Another reader, elsewhere, is not held back.
    other = client.post(
        reverse("comments:post", args=[story.pk]),
        {**VALID, "shown_at": a_minute_ago()},
        REMOTE_ADDR="198.51.100.7",
    )
    assert other.status_code == 302


def test_the_rate_limit_lets_a_reader_post_again_after_the_wait(client, settings, rate_clock):
    settings.COMMENTS_RATE_LIMIT = (1, 600)
    story = make_story()
    post(client, story)
    response = post(client, story)
    assert response.status_code == 429

    rate_clock.now += int(response["Retry-After"]) - 1
    assert post(client, story).status_code == 429
    rate_clock.now += 1
    assert post(client, story).status_code == 200
    assert Comment.objects.count() == 2


def test_behind_a_proxy_the_readers_address_comes_from_its_header(client, settings, rate_clock):
    settings.COMMENTS_CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.COMMENTS_RATE_LIMIT = (1, 600)
    story = make_story()

    def post_from(forwarded):
        return client.post(
            reverse("comments:post", args=[story.pk]),
            {**VALID, "shown_at": a_minute_ago()},
            headers={"X-Forwarded-For": forwarded},
        )

    assert post_from("192.0.2.1, 203.0.113.5").status_code == 302
    assert post_from("203.0.113.6").status_code == 302
    assert post_from("203.0.113.5").status_code == 429
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {
        "203.0.113.5",
        "203.0.113.6",
    }


# Returning commenters


def become_returning_commenter(client, status="approved"):
    """Post a first comment from this browser (which gets the signed cookie that remembers it),
    then have a moderator give it `status`."""
    post(client, make_story(), body="My first comment.")
    Comment.objects.filter(body="My first comment.").update(status=status)


def test_a_returning_commenter_is_published_at_once(client):
    become_returning_commenter(client)
    story = make_story()

    response = post(client, story, body="Me again.", email="Daniyar@Example.COM")

    comment = Comment.objects.get(body="Me again.")
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by is None and comment.moderated_at is not None
    assert response.redirect_chain == [(f"{story.get_absolute_url()}#comment-{comment.pk}", 302)]
    assert "Your comment is published." in response.text
    assert "Me again." in response.text


@pytest.mark.parametrize("history", ["pending", "rejected", "spam"])
def test_only_an_approved_comment_earns_trust(client, history):
    become_returning_commenter(client, status=history)

    post(client, make_story(), body="Me again.")

    assert Comment.objects.get(body="Me again.").status == Comment.Status.PENDING


def test_trusting_returning_commenters_can_be_turned_off(client, settings):
    settings.COMMENTS_TRUST_RETURNING_COMMENTERS = False
    become_returning_commenter(client)

    response = post(client, make_story(), body="Me again.")

    assert Comment.objects.get(body="Me again.").status == Comment.Status.PENDING
    assert "will appear once a moderator has approved it" in response.text


def test_a_returning_commenter_still_meets_the_spam_defences(client):
    become_returning_commenter(client)

    post(client, make_story(), body="Me again.", website="filled by a bot")

    assert Comment.objects.get(body="Me again.").status == Comment.Status.SPAM
