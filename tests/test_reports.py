"""Readers report comments: the no-script form under each comment, one report per reader, a
rate limit, the Reported queue, and a comment hidden after COMMENTS_HIDE_AFTER_REPORTS
reports until a moderator keeps or removes it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from comments.reports import Report

from .factories import make_comment, make_user
from .test_comments import make_story

pytestmark = pytest.mark.django_db

REPORTED_QUEUE = reverse("admin:comments_reportedcomment_changelist")
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def report_url(comment):
    return reverse("comments:report", args=[comment.pk])


def report(comment, ip="203.0.113.1", **data):
    """A reader at `ip` sends the report form."""
    return Client(REMOTE_ADDR=ip).post(
        report_url(comment), {"reason": "abuse", "note": "", **data}, **SAME_ORIGIN
    )


@pytest.fixture
def published():
    return make_comment(make_story(), name="Aliya", body="A plain opinion.", status="approved")


@pytest.fixture
def moderator():
    client = Client()
    user = make_user(is_staff=True, groups=["Moderators"])
    client.force_login(user)
    client.user = user
    return client


def test_every_shown_comment_links_to_its_report_form_the_same_for_every_reader(published):
    story = published.article
    first = Client(REMOTE_ADDR="203.0.113.1").get(story.get_absolute_url())
    second = Client(REMOTE_ADDR="198.51.100.7").get(story.get_absolute_url())

    assert f'href="{report_url(published)}">Report' in first.text
    assert first.text == second.text  # nothing of one reader on the shared page


def test_crawlers_are_kept_off_the_report_forms(published):
    robots = Client().get(reverse("syndication:robots")).text.splitlines()
    page = Client().get(report_url(published)).text

    assert "Disallow: /comments/report/" in robots
    assert report_url(published).startswith("/comments/report/")
    assert '<meta name="robots" content="noindex">' in page


def test_the_report_form_works_without_script(published):
    page = Client().get(report_url(published))

    assert page.status_code == 200
    assert "A plain opinion." in page.text
    assert 'type="radio" name="reason" value="off-topic"' in page.text
    assert "<script" not in page.text.split("<main", 1)[-1]


def test_a_report_is_filed_and_the_reader_thanked(published):
    response = report(published, reason="off-topic", note="Nothing to do with the story.")

    assert response.status_code == 302
    assert response["Location"] == published.article.get_absolute_url() + "#comments"
    saved = Report.objects.get()
    assert (saved.comment, saved.reason, saved.note) == (
        published,
        "off-topic",
        "Nothing to do with the story.",
    )
    assert "203.0.113.1" not in saved.reporter


def test_the_reader_is_thanked_beside_the_comments(published):
    reader = Client(REMOTE_ADDR="203.0.113.1")

    page = reader.post(report_url(published), {"reason": "spam"}, follow=True, **SAME_ORIGIN)

    told = "Thank you for your report. A moderator will look at the comment."
    assert page.text.count(told) == 1
    assert page.text.index('id="comments"') < page.text.index(told)
    # Nobody else is thanked: the shared page carries nothing of this reader.
    assert told not in Client().get(published.article.get_absolute_url()).text


@pytest.mark.parametrize(
    "data", [{"reason": "nonsense"}, {"reason": ""}, {"reason": "spam", "note": "x" * 501}]
)
def test_a_bad_report_gets_the_form_back_with_a_400(published, data):
    response = report(published, **data)

    assert response.status_code == 400
    assert 'class="report-form"' in response.text
    assert not Report.objects.exists()


@pytest.mark.parametrize("status", ["pending", "rejected", "spam"])
def test_only_a_shown_comment_can_be_reported(status):
    hidden = make_comment(make_story(), status=status)

    assert Client().get(report_url(hidden)).status_code == 404
    assert report(hidden).status_code == 404
    assert Client().get(reverse("comments:report", args=[99999999])).status_code == 404
    assert not Report.objects.exists()


def test_a_report_from_another_site_is_refused(published):
    response = Client().post(
        report_url(published), {"reason": "abuse"}, HTTP_SEC_FETCH_SITE="cross-site"
    )

    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_reader_reports_a_comment_once(published, settings):
    settings.COMMENTS_HIDE_AFTER_REPORTS = 2
    report(published)
    again = report(published, reason="spam")

    assert again.status_code == 302  # thanked alike: nothing tells whether it counted
    assert Report.objects.count() == 1
    published.refresh_from_db()
    assert published.status == Comment.Status.APPROVED


def test_reports_are_rate_limited_per_reader(settings):
    settings.COMMENTS_REPORT_RATE_LIMIT = (2, 600)
    settings.COMMENTS_HIDE_AFTER_REPORTS = 0
    comments = [make_comment(make_story(), status="approved") for _ in range(3)]

    answers = [report(comment).status_code for comment in comments]
    elsewhere = report(comments[2], ip="198.51.100.7")

    assert answers == [302, 302, 429]
    assert elsewhere.status_code == 302
    assert Report.objects.count() == 3


def test_k_reports_hide_the_comment_from_readers_at_once(published, settings):
    settings.COMMENTS_HIDE_AFTER_REPORTS = 3
    story_url = published.article.get_absolute_url()
    assert "A plain opinion." in Client().get(story_url).text  # cached now

    report(published, ip="203.0.113.1")
    report(published, ip="203.0.113.2")
    assert "A plain opinion." in Client().get(story_url).text  # two are not enough
    report(published, ip="203.0.113.3")

    published.refresh_from_db()
    assert published.status == Comment.Status.PENDING
    assert "A plain opinion." not in Client().get(story_url).text
    decision = published.decisions.get()
    assert (decision.decided_by, decision.from_status, decision.to_status) == (
        None,
        "approved",
        "pending",
    )
    assert decision.note == "Hidden after 3 reader reports."


def test_zero_never_hides_a_comment(published, settings):
    settings.COMMENTS_HIDE_AFTER_REPORTS = 0
    for n in range(5):
        report(published, ip=f"203.0.113.{n + 1}")

    published.refresh_from_db()
    assert published.status == Comment.Status.APPROVED


def test_the_reported_queue_is_ordered_by_open_reports_and_shows_reasons(moderator, settings):
    settings.COMMENTS_HIDE_AFTER_REPORTS = 0
    story = make_story()
    once = make_comment(story, body="Reported once.", status="approved")
    thrice = make_comment(story, body="Reported three times.", status="approved")
    make_comment(story, body="Never reported.", status="approved")
    report(once, reason="spam")
    for n in range(3):
        report(thrice, ip=f"203.0.113.{n + 1}", reason="abuse", note=f"Note {n}")

    response = moderator.get(REPORTED_QUEUE)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [thrice, once]
    assert "Abuse or harassment ×3" in response.text
    assert "“Note 2”" in response.text
    assert "Never reported." not in response.text


def test_keeping_a_hidden_comment_shows_it_again_and_closes_its_reports(
    moderator, published, settings
):
    settings.COMMENTS_HIDE_AFTER_REPORTS = 1
    report(published)
    published.refresh_from_db()
    assert published.status == Comment.Status.PENDING

    response = moderator.post(REPORTED_QUEUE, {"moderate": f"approved:{published.pk}"})

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Comment.Status.APPROVED
    assert not Report.objects.open().exists()
    assert "A plain opinion." in Client().get(published.article.get_absolute_url()).text
    # Kept: the same reader cannot hide it again; the queue is empty.
    report(published)
    published.refresh_from_db()
    assert published.status == Comment.Status.APPROVED
    assert list(moderator.get(REPORTED_QUEUE).context["cl"].result_list) == []


def test_the_reported_queue_follows_the_comment_rule():
    make_comment(make_story(), status="approved")
    expected = {
        None: 302,  # to the sign-in page
        "Writers": 403,
        "Editors": 403,
        "Moderators": 200,
        "superuser": 200,
    }
    for role, status in expected.items():
        client = Client()
        if role == "superuser":
            client.force_login(make_user(is_staff=True, is_superuser=True))
        elif role:
            client.force_login(make_user(is_staff=True, groups=[role]))
        assert client.get(REPORTED_QUEUE).status_code == status, role


def test_the_reported_queue_costs_the_same_queries_however_many_it_lists(moderator, settings):
    settings.COMMENTS_HIDE_AFTER_REPORTS = 0
    story = make_story()

    def queries_for(count):
        for n in range(count):
            comment = make_comment(story, status="approved")
            report(comment, ip=f"203.0.113.{n + 1}", note="Why.")
        with CaptureQueriesContext(connection) as queries:
            assert moderator.get(REPORTED_QUEUE).status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(6)


def test_the_comments_own_page_lists_its_reports_and_whether_they_were_answered(
    moderator, published, settings
):
    settings.COMMENTS_HIDE_AFTER_REPORTS = 0
    report(published, reason="off-topic", note="About another story.")
    Comment.objects.filter(pk=published.pk).moderate("approved", moderator.user)
    report(published, ip="198.51.100.7", reason="abuse")

    page = moderator.get(reverse("admin:comments_comment_change", args=[published.pk])).text

    assert "Off-topic: “About another story.” (answered)" in page
    assert "Abuse or harassment</p>" in page
    assert "203.0.113.1" not in page and "198.51.100.7" not in page
