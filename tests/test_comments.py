from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import BODY_MAX_LENGTH, Comment

from .factories import make_article

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Daniyar",
    "email": "daniyar@example.com",
    "body": "A fair summary.",
    "website": "",
}


def post(client, article, **data):
    return client.post(reverse("comments:post", args=[article.pk]), {**VALID, **data}, follow=True)


def test_a_valid_comment_is_stored_pending_and_the_reader_is_told(client):
    story = make_article()

    response = post(client, story, body="First line\nsecond line")

    assert response.redirect_chain == [(story.get_absolute_url() + "#comments", 302)]
    assert "will appear once a moderator has approved it" in response.text
    comment = Comment.objects.get()
    assert (comment.article, comment.name, comment.email) == (story, "Daniyar", VALID["email"])
    assert comment.status == Comment.Status.PENDING
    assert comment.ip_address == "127.0.0.1"
    # Pending comments are not shown until approved.
    assert "First line" not in response.text


def test_the_form_is_csrf_protected(client):
    from django.test import Client

    story = make_article()
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(reverse("comments:post", args=[story.pk]), VALID)

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_the_article_page_form_carries_a_csrf_token(client):
    story = make_article()
    assert 'name="csrfmiddlewaretoken"' in client.get(story.get_absolute_url()).text


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
    story = make_article()

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
    page = client.get(make_article().get_absolute_url()).text
    assert "Plain text, up to 3,000 characters." in page
    assert 'maxlength="3000"' in page


def test_honeypot_submissions_are_dropped_but_look_accepted(client):
    story = make_article()

    response = post(client, story, website="http://spam.example")

    assert "will appear once a moderator has approved it" in response.text
    assert not Comment.objects.exists()


def test_comments_on_closed_stories_are_refused(client):
    story = make_article(allow_comments=False)

    response = post(client, story)

    assert "Comments are closed on this story." in response.text
    assert not Comment.objects.exists()


@pytest.mark.parametrize("state", ["draft", "scheduled", "missing"])
def test_comments_on_unpublished_or_missing_stories_are_404(client, state):
    story = make_article(
        status=Article.Status.DRAFT if state == "draft" else Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=1 if state == "scheduled" else -1),
    )
    article_id = story.pk + 1000 if state == "missing" else story.pk

    response = client.post(reverse("comments:post", args=[article_id]), VALID)

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_get_on_the_post_address_is_refused(client):
    story = make_article()
    assert client.get(reverse("comments:post", args=[story.pk])).status_code == 405


def test_comment_text_is_escaped_and_keeps_line_breaks(client):
    story = make_article()
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
    story = make_article()
    post(client, story, body="Worth reading.")
    comment = Comment.objects.get()
    assert "Worth reading." not in client.get(story.get_absolute_url()).text

    comment.status = Comment.Status.APPROVED
    comment.save()

    assert "Worth reading." in client.get(story.get_absolute_url()).text
