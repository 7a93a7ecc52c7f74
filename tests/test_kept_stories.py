"""What an uncached reader's page keeps between renders (issue 14): the story behind a story
page, the front page's section blocks, read-next headlines, the comment form and the search
form. Each is kept only until what it shows changes: these tests change it the ways editors and
moderators do and read the page again, with the page cache off."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Author, Byline, Correction
from comments.models import Comment

from .factories import make_article, make_category, make_comment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


@pytest.fixture
def story():
    section = make_category(name="World", slug="world")
    story = make_article(category=section, title="Floods reach the capital", tags=["Weather"])
    make_article(category=section, title="Older news")
    Byline.objects.create(
        article=story, author=Author.objects.create(name="Ada Reporter", slug="ada")
    )
    return story


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(captured)


def test_a_readers_story_page_asks_the_database_nothing_once_read(client, story):
    url = story.get_absolute_url()
    client.get(url)
    response, count = queries(client, url)
    assert count == 0
    assert "Floods reach the capital" in response.text and "Ada Reporter" in response.text


def test_an_edit_in_place_shows_on_the_story_page_at_once(client, story):
    client.get(story.get_absolute_url())
    story.title = "Floods recede"
    story.body = "<p>The water is going down.</p>"
    story.save()
    text = client.get(story.get_absolute_url()).text
    assert "Floods recede" in text and "The water is going down." in text


def test_new_tags_authors_and_corrections_show_at_once(client, story):
    client.get(story.get_absolute_url())
    story.tags.add("Rescue")
    Byline.objects.create(
        article=story, author=Author.objects.create(name="Bo Writer", slug="bo"), position=1
    )
    Correction.objects.create(article=story, kind="correction", text="The river was misnamed.")
    text = client.get(story.get_absolute_url()).text
    assert 'rel="tag">Rescue</a>' in text
    assert "Bo Writer" in text and "The river was misnamed." in text


def test_a_new_address_works_and_the_old_one_redirects_at_once(client, story):
    old = story.get_absolute_url()
    client.get(old)
    story.slug = "floods-capital"
    story.save()
    assert client.get(story.get_absolute_url()).status_code == 200
    moved = client.get(old)
    assert moved.status_code == 301 and moved["Location"] == story.get_absolute_url()


def test_a_story_taken_down_is_gone_at_once(client, story):
    url = story.get_absolute_url()
    client.get(url)
    story.status = Article.Status.DRAFT
    story.save()
    assert client.get(url).status_code == 404


def test_a_deleted_story_is_gone_at_once(client, story):
    url = story.get_absolute_url()
    client.get(url)
    story.delete()
    assert client.get(url).status_code == 404


def test_staff_read_the_story_afresh(client, story, django_user_model):
    """An editor opens a draft by its address: the admin's rule, never a reader's kept copy."""
    editor = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    editor.user_permissions.add(*_change_article_permissions())
    client.force_login(editor)
    draft = make_article(category=story.category, status=Article.Status.DRAFT)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "not public" in response.text


def _change_article_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        codename__in=["view_article", "change_article", "publish_article"]
    )


def test_an_approved_comment_shows_at_once_and_a_rejected_one_goes(client, story):
    url = story.get_absolute_url()
    comment = make_comment(article=story, body="Stay safe, everyone.")
    assert "Stay safe" not in client.get(url).text
    Comment.objects.filter(pk=comment.pk).moderate(Comment.Status.APPROVED, None)
    assert "Stay safe" in client.get(url).text
    Comment.objects.filter(pk=comment.pk).moderate(Comment.Status.REJECTED, None)
    assert "Stay safe" not in client.get(url).text


def test_the_front_page_section_block_shows_an_edited_headline_at_once(client, story):
    lead = make_article(category=make_category(name="Sport", slug="sport"), is_featured=True)
    assert lead.pk  # the lead is another story: ours is in its section's block
    assert "Floods reach the capital" in client.get("/").text
    story.title = "Floods recede"
    story.save()
    front = client.get("/").text
    assert "Floods recede" in front and "Floods reach the capital" not in front


def test_read_next_shows_an_edited_headline_at_once(client, story):
    older = Article.objects.get(title="Older news")
    client.get(story.get_absolute_url())
    older.title = "Older news, revised"
    older.save()
    assert "Older news, revised" in client.get(story.get_absolute_url()).text


def test_a_story_published_later_joins_the_front_page_at_once(client, story):
    client.get("/")
    make_article(category=story.category, title="Breaking: dam holds", published_at=timezone.now())
    assert "Breaking: dam holds" in client.get("/").text


def test_the_comment_form_is_drawn_for_the_thread_a_reply_link_answers(client, story):
    thread = make_comment(article=story, name="Reader One", status=Comment.Status.APPROVED)
    url = story.get_absolute_url()
    plain = client.get(url).text
    replying = client.get(f"{url}?replyto={thread.pk}").text
    assert "Leave a comment" in plain and "Reply to Reader One" not in plain
    assert "Reply to Reader One" in replying
    assert f'name="parent" value="{thread.pk}"' in replying
    assert "Leave a comment" in client.get(url).text  # the shared form is not the reply's


def test_the_search_form_keeps_what_was_asked_and_its_errors(client, story):
    asked = client.get("/search/", {"q": "floods", "date_from": "yesterday"}).text
    assert 'value="floods"' in asked and 'value="yesterday"' in asked
    assert "form-errors" in asked or "errorlist" in asked
    other = client.get("/search/", {"q": "rescue"}).text
    assert 'value="rescue"' in other and 'value="floods"' not in other
    assert 'value="yesterday"' not in other


def test_a_list_page_asks_the_database_nothing_once_read(client, story):
    url = story.category.get_absolute_url()
    client.get(url)
    response, count = queries(client, url)
    assert count == 0 and "Floods reach the capital" in response.text


def test_a_list_page_follows_a_new_story_an_edit_and_a_takedown_at_once(client, story):
    url = story.category.get_absolute_url()
    client.get(url)
    make_article(category=story.category, title="Dam holds", published_at=timezone.now())
    assert "Dam holds" in client.get(url).text
    story.standfirst = "Water levels are falling."
    story.save()
    assert "Water levels are falling." in client.get(url).text
    story.status = Article.Status.DRAFT
    story.save()
    assert "Floods reach the capital" not in client.get(url).text


def test_made_up_addresses_fill_no_cache(client, story):
    """A bot asking for stories, topics and authors that do not exist gets 404s, and nothing
    is kept for them: a flood of made-up addresses must not evict the pages readers read."""
    from django.core.cache import caches

    client.get(story.get_absolute_url())
    day = story.published_at.strftime("%Y/%m/%d")
    before = {alias: len(caches[alias]._cache) for alias in ("default", "pages")}
    for n in range(20):
        assert client.get(f"/{day}/no-such-story-{n}/").status_code == 404
        assert client.get(f"/tag/no-such-topic-{n}/").status_code == 404
        assert client.get(f"/author/nobody-{n}/").status_code == 404
    after = {alias: len(caches[alias]._cache) for alias in ("default", "pages")}
    assert after == before
