"""A lighter article page (issue 14, point 6): a story's page shows only its newest comment
threads (COMMENTS_ON_STORY_PAGE) and links to every comment on paginated comments pages, so a
busy story stays under 40 KB of HTML and CSS; the comments pages are reader pages, cached and
changed like the story's own."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from newsroom.whitespace import squeeze

from .factories import image_upload, make_article, make_comment, make_user
from .test_html_validity import vnu_errors

pytestmark = pytest.mark.django_db

# Uncompressed bytes: the HTML of a story's page and every stylesheet it links.
PAGE_BUDGET = 40_000
STYLESHEET = re.compile(r'<link rel="stylesheet" href="/static/([^"]+)"')


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    settings.PAGE_CACHE_DEBUG_HEADER = True  # X-Page-Cache tells a hit from a miss.
    cache.clear()
    yield
    cache.clear()


def story_with_comments(count, **fields):
    story = make_article(**{"published_at": timezone.now() - timedelta(hours=1), **fields})
    start = timezone.now() - timedelta(minutes=count)
    return story, [
        make_comment(
            story,
            status="approved",
            body=f"Comment {n:02d}.",
            created_at=start + timedelta(seconds=n),
        )
        for n in range(count)
    ]


def comments_page(story, page=None):
    return reverse("comments:list", args=[story.pk]) + (f"?page={page}" if page else "")


def shown_bodies(html):
    return re.findall(r"<p>(Comment \d+\.|Reply \d+\.)</p>", html)


def page_weight(client, story):
    """The bytes of the story's page, uncompressed, and of every stylesheet it links."""
    html = client.get(story.get_absolute_url()).content
    stylesheets = STYLESHEET.findall(html.decode())
    assert stylesheets == ["css/site.css"]
    return html, sum(Path(finders.find(name)).stat().st_size for name in stylesheets)


@pytest.mark.parametrize("threads", [None, 8])
def test_the_longest_storys_page_weighs_under_40_kb_with_its_css(
    client, django_capture_on_commit_callbacks, threads
):
    """The longest demo story, with its picture, corrections, tags, bylines and related
    stories: HTML + CSS under 40 KB with the comments the demo gives it, and with eight
    threads of comments as readers write them (some answering others) and more behind the
    link to the comments pages."""
    call_command("load_demo", "--no-images", verbosity=0)
    story = max(Article.objects.published(), key=lambda story: len(story.body))
    with django_capture_on_commit_callbacks(execute=True):  # Its renditions: <picture srcset>.
        story.featured_image = image_upload("lead.jpg", size=(1200, 675))
        story.save()
    written = list(Comment.objects.approved().values_list("name", "body"))
    thread = None
    while threads and story.comments.approved().count() < 52:
        name, body = written[story.comments.count() % len(written)]
        # Every fourth answers the thread before it.
        parent = thread if story.comments.count() % 4 == 3 else None
        comment = make_comment(story, status="approved", name=name, body=body, parent=parent)
        thread = thread if parent else comment

    html, css = page_weight(client, story)

    assert len(html) + css < PAGE_BUDGET, f"{len(html)} bytes of HTML + {css} of CSS"
    assert b"<picture>" in html and b'class="corrections"' in html and b"Related stories" in html
    shown = html.decode().count('<li class="comment" id=')
    if threads:
        assert shown == threads
        assert f'href="{comments_page(story)}">Read all 52 comments</a>' in html.decode()
    else:
        assert shown == story.comments.approved().count() > 0


def test_a_storys_page_shows_its_newest_threads_with_their_replies(client, settings):
    settings.COMMENTS_ON_STORY_PAGE = 3
    story, comments = story_with_comments(6)
    make_comment(story, parent=comments[1], status="approved", body="Reply 1.")
    make_comment(story, parent=comments[4], status="approved", body="Reply 4.")
    make_comment(story, parent=comments[5], status="pending", body="Reply 5.")

    page = client.get(story.get_absolute_url()).text

    # The newest three threads, oldest first, each with its published replies.
    assert shown_bodies(page) == ["Comment 03.", "Comment 04.", "Reply 4.", "Comment 05."]
    assert 'Comments <span class="count">(8)</span>' in page
    assert f'<a href="{comments_page(story)}">Read all 8 comments</a>' in page


def test_a_story_with_few_comments_shows_them_all_and_no_link(client, settings):
    settings.COMMENTS_ON_STORY_PAGE = 3
    story, _ = story_with_comments(3)

    page = client.get(story.get_absolute_url()).text

    assert shown_bodies(page) == ["Comment 00.", "Comment 01.", "Comment 02."]
    assert comments_page(story) not in page


def test_the_comments_pages_list_every_comment_oldest_first_fifty_threads_a_page(client):
    story, comments = story_with_comments(52)
    make_comment(story, parent=comments[51], status="approved", body="Reply 51.")
    make_comment(story, status="pending", body="Comment 99.")

    first = client.get(comments_page(story))
    second = client.get(comments_page(story, 2))

    assert first.status_code == second.status_code == 200
    everything = shown_bodies(first.text) + shown_bodies(second.text)
    assert everything == [f"Comment {n:02d}." for n in range(52)] + ["Reply 51."]
    assert len(shown_bodies(first.text)) == 50
    assert "53 comments, oldest first (page 1 of 2)" in first.text
    assert 'href="?page=2"' in first.text  # No JavaScript: a link to the next page.
    assert client.get(comments_page(story, 3)).status_code == 404
    assert client.get(comments_page(story) + "?page=x").status_code == 404


def test_the_comments_pages_of_a_story_readers_cannot_see_are_not_found(client):
    draft, _ = story_with_comments(1, status=Article.Status.DRAFT)
    scheduled, _ = story_with_comments(1, published_at=timezone.now() + timedelta(days=1))

    assert client.get(comments_page(draft)).status_code == 404
    assert client.get(comments_page(scheduled)).status_code == 404
    assert client.get(reverse("comments:list", args=[987654])).status_code == 404


def test_a_reply_link_on_the_comments_pages_opens_the_storys_form_answering_it(client, settings):
    settings.COMMENTS_ON_STORY_PAGE = 2
    story, comments = story_with_comments(5)
    oldest = comments[0]
    listed = client.get(comments_page(story)).text
    link = f"{story.get_absolute_url()}?replyto={oldest.pk}#comment-form"
    assert f'href="{link}"' in listed

    cache.clear()
    with CaptureQueriesContext(connection) as answering:
        page = client.get(link.split("#")[0]).text
    cache.clear()
    with CaptureQueriesContext(connection) as plain:
        client.get(story.get_absolute_url())

    # The thread answered is too old for the story's page: it is shown there for the form.
    assert f'id="comment-{oldest.pk}"' in page
    assert f'<input type="hidden" name="parent" value="{oldest.pk}">' in page
    assert "Post reply" in page
    assert len(answering) == len(plain)  # Found in the same query as the newest threads.


def test_a_comment_approved_shows_at_once_on_the_cached_comments_pages(client):
    story, _ = story_with_comments(51)
    waiting = make_comment(story, status="pending", body="Comment 77.")
    moderated = make_comment(story, status="pending", body="Comment 88.")
    for page in (comments_page(story), comments_page(story, 2)):
        client.get(page)
        assert client.get(page)["X-Page-Cache"] == "hit"

    waiting.status = Comment.Status.APPROVED
    waiting.save()  # One comment saved (comments/signals.py)…
    Comment.objects.filter(pk=moderated.pk).moderate(
        Comment.Status.APPROVED, make_user(is_staff=True)
    )  # …and the moderation queue's update().

    second = client.get(comments_page(story, 2))
    assert second["X-Page-Cache"] == "miss"
    assert shown_bodies(second.text) == ["Comment 50.", "Comment 77.", "Comment 88."]
    assert "53 comments" in client.get(comments_page(story)).text


def test_the_comments_pages_offer_no_reply_once_comments_close(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    story, _ = story_with_comments(1, published_at=timezone.now() - timedelta(days=31))

    page = client.get(comments_page(story)).text

    assert "Comment 00." in page
    assert "replyto=" not in page and "Leave a comment" not in page


def test_the_comments_pages_cost_the_same_queries_however_many_comments(client, settings):
    settings.COMMENTS_PER_PAGE = 10
    story, comments = story_with_comments(3)
    client.get(comments_page(story))  # Anything made on first use (the About row) is made.
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get(comments_page(story)).status_code == 200
    for n in range(60):
        make_comment(story, status="approved", parent=comments[0] if n % 2 else None)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(comments_page(story, 2)).status_code == 200

    assert len(many) == len(few) <= 8  # tests/test_query_budget.py's budget for any page


def test_the_comments_pages_and_the_link_to_them_are_valid_html(client, settings, tmp_path):
    settings.COMMENTS_ON_STORY_PAGE = 2
    settings.COMMENTS_PER_PAGE = 2
    story, comments = story_with_comments(5)
    make_comment(story, parent=comments[2], status="approved", body="Reply 2.")
    pages = {
        "story": client.get(story.get_absolute_url()).text,
        "comments page 2": client.get(comments_page(story, 2)).text,
        "story answering an old thread": client.get(
            story.get_absolute_url(), {"replyto": comments[0].pk}
        ).text,
    }

    assert vnu_errors(pages, tmp_path) == {}


@pytest.mark.parametrize("replyto", ["9" * 30, "-1", "1e3", "０１"])
def test_a_reply_link_to_no_possible_comment_is_the_ordinary_page(client, settings, replyto):
    """?replyto= reaches a query now (an older thread is looked up): a number no column can
    hold, or no number at all, must be the ordinary page, never a 500."""
    settings.COMMENTS_ON_STORY_PAGE = 1
    story, _ = story_with_comments(2)

    response = client.get(story.get_absolute_url(), {"replyto": replyto})

    assert response.status_code == 200
    assert "Leave a comment" in response.text and "Replying to" not in response.text


# Whitespace (newsroom/whitespace.py) -------------------------------------------------------


def visible_text(html):
    """The words a reader sees, spaces as a browser collapses them."""
    text = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", html, flags=re.DOTALL)
    return " ".join(text.split())


def test_the_indentation_between_tags_goes_and_every_word_and_space_stays(client, settings):
    story, _ = story_with_comments(3, body="<p>Tea <em>and</em> <strong>trade</strong>.</p>")
    served = client.get(story.get_absolute_url()).text
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if "Squeeze" not in name]
    cache.clear()
    as_written = Client().get(story.get_absolute_url()).text  # Middleware is loaded anew.

    assert len(served) < len(as_written) * 0.93
    assert "\n  <" in as_written and "\n " not in served
    assert visible_text(served) == visible_text(as_written)
    assert "<em>and</em> <strong>trade</strong>" in served  # a space between inline tags


def test_squeezing_keeps_preformatted_text_form_fields_and_scripts_as_written():
    kept = (
        b'<pre class="code">\n  <b>indented</b>\n    <i>more</i>\n</pre>'
        b'<textarea name="body">\n\n   \n</textarea>'
        b'<script type="application/ld+json">{"a": ">\n  <"}</script>'
        b"<STYLE>\n  a > b {}\n</STYLE>"
    )
    html = (
        b"<ul>\n    <li>One</li>\n\n    <li>Two\xc2\xa0</li>\n  </ul>\n  " + kept + b"\n  <p>x</p>"
    )

    assert (
        squeeze(html) == b"<ul>\n<li>One</li>\n<li>Two\xc2\xa0</li>\n</ul>\n" + kept + b"\n<p>x</p>"
    )


def test_a_cached_page_is_the_squeezed_page_with_an_etag_over_it(client):
    story, _ = story_with_comments(1)
    made = client.get(story.get_absolute_url())
    cached = client.get(story.get_absolute_url())

    assert cached["X-Page-Cache"] == "hit"
    assert cached.content == made.content and b"\n  <" not in cached.content
    assert client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=made["ETag"]).status_code == 304
