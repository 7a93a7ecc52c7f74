"""Live coverage (live/): the posting screen and who may use it, entries sanitised, what readers'
pages and their poll see after each post, edit, pin and delete, the cached story page, the
LiveBlogPosting JSON-LD, the Atom feed, the Live badge and the front page's lead."""

import json
import time
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from live import stream
from live.models import LiveChange, LiveEntry
from live.polls import LivePolls

from .factories import image_upload, make_article, make_user
from .test_seo import Head

pytestmark = pytest.mark.django_db

_on_commit = None

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def people():
    return {
        "owner": make_user("wendy", groups=["Writers"], is_staff=True),
        "other_writer": make_user("walt", groups=["Writers"], is_staff=True),
        "editor": make_user("eddie", groups=["Editors"], is_staff=True),
        "moderator": make_user("moira", groups=["Moderators"], is_staff=True),
        "superuser": make_user("root", is_staff=True, is_superuser=True),
        "reader": make_user("rita"),
    }


@pytest.fixture(autouse=True)
def one_process(monkeypatch):
    """The tests run in one process: its local-memory cache is every request's, as Redis is
    every process's in production (stream.LOCAL_STATE_SECONDS is for several processes)."""
    monkeypatch.setattr(stream, "LOCAL_STATE_SECONDS", stream.STATE_SECONDS)


@pytest.fixture(autouse=True)
def commits(django_capture_on_commit_callbacks):
    """Each request's transaction commits as in production: what runs on commit (the stream's
    new state, the page cache's purge) runs when the request ends."""
    global _on_commit
    _on_commit = django_capture_on_commit_callbacks


def send(client, article, data):
    """A form posted to the posting screen, committed."""
    with _on_commit(execute=True):
        return client.post(console(article), data)


def signed_in(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def console(article):
    return reverse("admin:live_liveentry_console", args=[article.pk])


def live_story(**fields):
    """A public story whose coverage runs."""
    return make_article(live_since=timezone.now() - timedelta(minutes=30), **fields)


def post(client, article, body="<p>The bridge is closed.</p>", **fields):
    return send(client, article, {"action": "post", "body": body, **fields})


def version(client, article, **headers):
    return client.get(reverse("live:version", args=[article.pk]), headers=headers)


def changes(client, article, since):
    """What a page at version `since` fetches once the poll told it the newest version."""
    to = version(client, article).json()["version"]
    url = reverse("live:changes", args=[article.pk])
    return client.get(url, {"since": since, "to": to}).json()


def page(article):
    return Client().get(article.get_absolute_url()).text


# Who may post ----------------------------------------------------------------------------

ACTIONS = {
    "open": lambda client, story, entry: client.get(console(story)),
    "post": lambda client, story, entry: post(client, story),
    "edit": lambda client, story, entry: post(client, story, entry=entry.pk),
    "pin": lambda client, story, entry: client.post(
        console(story), {"action": "pin", "entry": entry.pk}
    ),
    "delete": lambda client, story, entry: client.post(
        console(story), {"action": "delete", "entry": entry.pk}
    ),
    "end": lambda client, story, entry: send(client, story, {"action": "end"}),
}
# The story change form's rule: editors change every story; writers their own until public;
# moderators may open public stories, never change them; readers are not staff.
EXPECTED = {
    # role: (on the owner's draft, on a public story)
    "anonymous": ("login", "login"),
    "reader": ("login", "login"),
    "owner": ("allowed", 403),
    "other_writer": (404, 404),
    "moderator": (404, 403),
    "editor": ("allowed", "allowed"),
    "superuser": ("allowed", "allowed"),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", ["draft", "public"])
@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_on_each_posting_route(people, role, state, action):
    story = live_story(author=people["owner"])
    if state == "draft":
        Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
        story = Article.objects.get(pk=story.pk)
    with _on_commit(execute=True):
        entry = LiveEntry.objects.create(article=story, body="<p>Before.</p>")
        LiveChange.record(story.pk, entry.pk)
    before = list(LiveEntry.objects.values_list("pk", "body", "is_pinned"))
    response = ACTIONS[action](signed_in(people.get(role)), story, entry)
    expected = EXPECTED[role][state == "public"]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif expected == "allowed":
        assert response.status_code == (200 if action == "open" else 302)
        if action != "open":
            assert response["Location"] == console(story)
    else:
        assert response.status_code == expected
    if expected != "allowed":
        assert list(LiveEntry.objects.values_list("pk", "body", "is_pinned")) == before
        assert Article.objects.get(pk=story.pk).is_live


def test_the_change_form_links_to_the_posting_screen_only_for_who_may_change(people):
    story = live_story(author=people["owner"])
    change = reverse("admin:articles_article_change", args=[story.pk])
    assert console(story) in signed_in(people["editor"]).get(change).text
    assert console(story) not in signed_in(people["moderator"]).get(change).text


# Posting ----------------------------------------------------------------------------------


def test_an_editor_starts_coverage_posts_and_the_story_is_live(people):
    story = make_article()
    editor = signed_in(people["editor"])
    assert "Start live coverage" in editor.get(console(story)).text
    send(editor, story, {"action": "start"})
    story.refresh_from_db()
    assert story.is_live and story.live_since is not None
    started = time.monotonic()
    response = post(editor, story, headline="Bridge closed", is_key_event="on")
    assert time.monotonic() - started < 1
    assert response.status_code == 302
    entry = LiveEntry.objects.get()
    assert (entry.headline, entry.author, entry.is_key_event) == (
        "Bridge closed",
        people["editor"],
        True,
    )
    shown = editor.get(console(story)).text
    assert "Bridge closed" in shown and "Posted." in shown


def test_an_entry_is_sanitised_like_a_story_body(people):
    story = live_story()
    post(
        signed_in(people["editor"]),
        story,
        body='<p onclick="steal()">Quote: <script>alert(1)</script><a href="javascript:x">link</a>'
        "<blockquote>Words</blockquote></p>",
    )
    body = LiveEntry.objects.get().body
    assert "<script" not in body and "onclick" not in body and "javascript:" not in body
    assert "<blockquote>Words</blockquote>" in body
    assert "alert(1)" not in page(story)


def test_an_image_uploaded_from_the_box_is_shown_as_a_picture(people):
    """The posting screen's editor uploads as a story's does (the same address and checks);
    readers get the image as <picture> with its renditions."""
    story = live_story()
    editor = signed_in(people["editor"])
    assert 'data-body-image-upload="/admin/body-images/upload/"' in editor.get(console(story)).text
    with _on_commit(execute=True):
        uploaded = editor.post(
            reverse("body-image-upload"),
            {"image": image_upload(size=(1200, 800)), "alt": "Ferries at anchor"},
        ).json()
    post(
        editor,
        story,
        body=f'<p>Off Aktau:</p><img src="{uploaded["url"]}" alt="Ferries at anchor">',
    )
    shown = page(story)
    entry = shown[shown.index('<li class="live-entry"') :]
    assert "<picture>" in entry and ".webp" in entry and 'alt="Ferries at anchor"' in entry


def test_an_empty_update_is_a_form_error_not_a_post(people):
    story = live_story()
    response = post(signed_in(people["editor"]), story, body="<p> </p>")
    assert response.status_code == 400
    assert "Write the update first" in response.text
    assert not LiveEntry.objects.exists()


def test_bad_entry_numbers_and_other_stories_entries_are_refused(people):
    story, other = live_story(), live_story()
    foreign = LiveEntry.objects.create(article=other, body="<p>Elsewhere.</p>")
    editor = signed_in(people["editor"])
    assert send(editor, story, {"action": "delete", "entry": "x1"}).status_code == 400
    assert send(editor, story, {"action": "delete", "entry": foreign.pk}).status_code == 404
    assert send(editor, story, {"action": "explode"}).status_code == 400
    assert LiveEntry.objects.filter(pk=foreign.pk).exists()


def test_ended_coverage_is_frozen(people):
    story = live_story()
    editor = signed_in(people["editor"])
    post(editor, story, body="<p>Last words.</p>")
    send(editor, story, {"action": "end"})
    story.refresh_from_db()
    assert not story.is_live and story.live_until is not None
    entry = LiveEntry.objects.get()
    response = post(editor, story, body="<p>Too late.</p>")
    send(editor, story, {"action": "delete", "entry": entry.pk})
    assert LiveEntry.objects.count() == 1
    assert "Coverage is not running" in editor.get(response["Location"]).text
    reader_page = page(story)
    assert "Live coverage ended" in reader_page and "Last words." in reader_page
    assert "live/live.js" not in reader_page  # Nothing left to follow.
    poll = version(Client(), story).json()
    assert (poll["version"], poll["running"]) == (LiveChange.objects.last().pk, False)
    assert poll["changes"]["running"] is False  # Pages one behind stop following too.


# What readers' pages see ---------------------------------------------------------------------


def test_posts_edits_pins_and_deletes_reach_the_poll_and_the_cached_page(people):
    story = live_story()
    editor, reader = signed_in(people["editor"]), Client()
    page(story)  # Cached now.
    shown = version(reader, story).json()["version"]

    post(editor, story, body="<p>First.</p>")
    post(editor, story, body="<p>Second.</p>")
    first, second = LiveEntry.objects.order_by("pk")
    now = version(reader, story).json()["version"]
    assert now > shown
    news = changes(reader, story, shown)
    assert [entry["id"] for entry in news["entries"]] == [first.pk, second.pk]
    assert "First." in news["entries"][0]["html"] and news["deleted"] == []
    assert "First." in page(story) and "Second." in page(story)
    assert f'<li class="live-entry" id="update-{first.pk}"' in page(story)

    post(editor, story, body="<p>First, corrected.</p>", entry=first.pk)
    news = changes(reader, story, now)
    (edited,) = news["entries"]
    assert edited["id"] == first.pk and "First, corrected." in edited["html"]
    assert "Updated" in edited["html"]
    assert "First, corrected." in page(story)
    now = news["version"]

    send(editor, story, {"action": "pin", "entry": second.pk})
    news = changes(reader, story, now)
    assert news["pinned"] == [second.pk]
    assert "Pinned" in news["entries"][0]["html"]
    assert page(story).index("Second.") < page(story).index("First, corrected.")
    now = news["version"]

    send(editor, story, {"action": "delete", "entry": first.pk})
    news = changes(reader, story, now)
    assert news["deleted"] == [first.pk] and news["entries"] == []
    assert "First, corrected." not in page(story)
    assert f"update-{first.pk}" not in Client().get(reverse("live:feed", args=[story.pk])).text
    # A page that saw none of it is told only of what still exists.
    assert [entry["id"] for entry in changes(reader, story, shown)["entries"]] == [second.pk]


def test_the_poll_is_answered_from_the_cache_with_no_query(people, django_assert_num_queries):
    story = live_story()
    post(signed_in(people["editor"]), story)
    reader = Client()
    to = version(reader, story).json()["version"]
    url = reverse("live:changes", args=[story.pk])
    reader.get(url, {"since": 0, "to": to})  # The first page to ask works it out.
    with django_assert_num_queries(0):
        first = version(reader, story)
        news = reader.get(url, {"since": 0, "to": to})
    assert first.status_code == 200 and news.status_code == 200
    assert first["Cache-Control"] == "public, max-age=1"
    assert news["Cache-Control"] == "public, max-age=86400, immutable"
    again = version(reader, story, if_none_match=first["ETag"])
    assert again.status_code == 304


def wsgi_get(path, query="", **headers):
    """A GET through the site's WSGI application (newsroom/wsgi.py): (status, headers, body),
    and whether the site behind the live polls' front was reached."""
    reached = []

    def site(environ, start_response):
        reached.append(environ["PATH_INFO"])
        start_response("418 I'm a teapot", [])
        return [b""]

    answer = {}

    def start_response(status, response_headers):
        answer.update(status=status, headers=dict(response_headers))

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query}
    environ |= {f"HTTP_{name.upper()}": value for name, value in headers.items()}
    body = b"".join(LivePolls(site)(environ, start_response))
    return answer["status"], answer["headers"], body, bool(reached)


def test_the_wsgi_front_answers_polls_from_the_cache_and_leaves_the_rest_to_the_site(
    people, django_assert_num_queries
):
    story = live_story()
    post(signed_in(people["editor"]), story, body="<p>Posted.</p>")
    to = version(Client(), story).json()["version"]
    path = reverse("live:version", args=[story.pk])
    changes_path = reverse("live:changes", args=[story.pk])
    with django_assert_num_queries(0):
        status, headers, body, reached = wsgi_get(path)
        poll = json.loads(body)
        assert (status, poll["version"], poll["running"], reached) == ("200 OK", to, True, False)
        assert "Posted." in poll["changes"]["entries"][0]["html"]
        assert headers["Cache-Control"] == "public, max-age=1"
        assert headers["X-Content-Type-Options"] == "nosniff"
        status, _, _, reached = wsgi_get(path, if_none_match=headers["ETag"])
        assert (status, reached) == ("304 Not Modified", False)
        # Changes nobody asked for yet, and anything else: the site's.
        assert wsgi_get(changes_path, f"since=0&to={to}")[3] is True
        assert wsgi_get(story.get_absolute_url())[3] is True
        assert wsgi_get(changes_path, "since=x")[3] is True
    Client().get(changes_path, {"since": 0, "to": to})
    with django_assert_num_queries(0):
        status, _, body, reached = wsgi_get(changes_path, f"since=0&to={to}")
    assert (
        status == "200 OK" and not reached and "Posted." in json.loads(body)["entries"][0]["html"]
    )
    stream.cache.clear()  # Lost: the site works it out again.
    assert wsgi_get(path)[3] is True


def test_after_a_post_the_pages_question_is_in_the_cache_before_they_learn_of_it(people):
    story = live_story()
    editor = signed_in(people["editor"])
    post(editor, story, body="<p>First.</p>")
    shown = version(Client(), story).json()["version"]
    post(editor, story, body="<p>Second.</p>")
    to = version(Client(), story).json()["version"]
    url = reverse("live:changes", args=[story.pk])
    status, _, body, reached = wsgi_get(url, f"since={shown}&to={to}")
    assert status == "200 OK" and not reached
    (entry,) = json.loads(body)["entries"]
    assert "Second." in entry["html"]


def inline(client, article):
    """The changes the poll's answer carries, for a page a few versions behind."""
    return version(client, article).json()["changes"]


def test_the_poll_carries_the_newest_changes_so_pages_need_no_second_request(people):
    story = live_story()
    editor, reader = signed_in(people["editor"]), Client()
    post(editor, story, body="<p>First.</p>")
    shown = version(reader, story).json()["version"]  # A page open now...
    post(editor, story, body="<p>Second.</p>")
    first, second = LiveEntry.objects.order_by("pk")
    path = reverse("live:version", args=[story.pk])
    status, headers, body, reached = wsgi_get(path)  # ...learns of the post from the cache:
    assert status == "200 OK" and not reached
    poll = json.loads(body)
    news = poll["changes"]
    assert news["since"] <= shown < news["version"] == poll["version"]
    assert "Second." in {entry["id"]: entry["html"] for entry in news["entries"]}[second.pk]
    assert headers["Cache-Control"] == "public, max-age=1"
    assert wsgi_get(path, if_none_match=headers["ETag"])[0] == "304 Not Modified"

    # Edits, pins and deletions reach a page one version behind the same way.
    now = poll["version"]
    post(editor, story, body="<p>First, corrected.</p>", entry=first.pk)
    news = inline(reader, story)
    assert news["since"] <= now < news["version"]
    assert (
        "First, corrected." in {entry["id"]: entry["html"] for entry in news["entries"]}[first.pk]
    )
    now = news["version"]
    send(editor, story, {"action": "pin", "entry": second.pk})
    news = inline(reader, story)
    assert news["since"] <= now < news["version"] and news["pinned"] == [second.pk]
    assert "Pinned" in {entry["id"]: entry["html"] for entry in news["entries"]}[second.pk]
    now = news["version"]
    send(editor, story, {"action": "delete", "entry": first.pk})
    news = inline(reader, story)
    assert news["since"] <= now < news["version"]
    assert news["deleted"] == [first.pk]
    assert first.pk not in [entry["id"] for entry in news["entries"]]


def test_a_page_further_behind_than_the_poll_carries_catches_up_with_changes(people):
    story = live_story()
    editor = signed_in(people["editor"])
    shown = version(Client(), story).json()["version"]
    for n in range(stream.INLINE + 1):
        post(editor, story, body=f"<p>Update {n}.</p>")
    news = inline(Client(), story)
    assert shown < news["since"]  # Not enough for this page: it asks for the rest.
    assert len(news["entries"]) == stream.INLINE
    caught_up = changes(Client(), story, shown)
    assert caught_up["version"] == news["version"]
    html = " ".join(entry["html"] for entry in caught_up["entries"])
    assert all(f"Update {n}." in html for n in range(stream.INLINE + 1))


def test_a_made_up_version_is_answered_but_not_kept(people):
    story = live_story()
    post(signed_in(people["editor"]), story, body="<p>Posted.</p>")
    to = version(Client(), story).json()["version"]
    url = reverse("live:changes", args=[story.pk])
    made_up = Client().get(url, {"since": 0, "to": to + 5})
    assert made_up.status_code == 200 and made_up["Cache-Control"] == "public, max-age=1"
    assert wsgi_get(url, f"since=0&to={to + 5}")[3] is True  # Not kept for the next asker.


def test_the_poll_is_rebuilt_from_the_database_when_the_cache_lost_it(people):
    story = live_story()
    post(signed_in(people["editor"]), story, body="<p>Kept.</p>")
    expected = version(Client(), story).json()
    stream.cache.clear()
    assert version(Client(), story).json() == expected
    assert "Kept." in changes(Client(), story, 0)["entries"][0]["html"]


def test_with_a_cache_in_each_process_the_others_learn_from_the_database(people, monkeypatch):
    monkeypatch.setattr(stream, "LOCAL_STATE_SECONDS", 0)  # Kept no time at all, here.
    story = live_story()
    post(signed_in(people["editor"]), story)
    shown = version(Client(), story).json()["version"]
    # Posted through another process: its cache, not this one's, was told.
    with _on_commit(execute=False):
        entry = LiveEntry.objects.create(article=story, body="<p>Elsewhere.</p>")
        LiveChange.record(story.pk, entry.pk)
    assert version(Client(), story).json()["version"] > shown
    assert "Elsewhere." in page(story)


def test_drafts_unknown_stories_and_bad_versions_are_not_answered(people):
    draft = live_story(status=Article.Status.DRAFT)
    with _on_commit(execute=True):
        LiveEntry.objects.create(article=draft, body="<p>Secret plan.</p>")
        LiveChange.record(draft.pk)
    reader = Client()
    assert version(reader, draft).status_code == 404
    url = reverse("live:changes", args=[draft.pk])
    assert reader.get(url, {"since": 0, "to": 1}).status_code == 404
    assert reader.get("/live/999999/version").status_code == 404
    assert reader.get(reverse("live:feed", args=[draft.pk])).status_code == 404
    story = live_story()
    for since, to in (("", "1"), ("-1", "1"), ("abc", "1"), ("01", "1"), ("2", "1"), ("0", "")):
        url = reverse("live:changes", args=[story.pk])
        assert reader.get(url, {"since": since, "to": to}).status_code == 400


def test_a_story_taken_down_or_deleted_stops_answering_at_once(people):
    story = live_story()
    editor = signed_in(people["editor"])
    post(editor, story, body="<p>First.</p>")
    post(editor, story, body="<p>Second.</p>")
    to = version(Client(), story).json()["version"]
    url = reverse("live:changes", args=[story.pk])
    query = f"since={to - 1}&to={to}"
    assert wsgi_get(url, query)[0] == "200 OK"  # Kept in the cache for every page.
    with _on_commit(execute=True):
        story.status = Article.Status.DRAFT
        story.save()
    assert version(Client(), story).status_code == 404
    assert wsgi_get(url, query)[0] == "404 Not Found"
    assert Client().get(url, {"since": to - 1, "to": to}).status_code == 404
    with _on_commit(execute=True):
        story.status = Article.Status.PUBLISHED
        story.save()
    assert version(Client(), story).status_code == 200
    poll = reverse("live:version", args=[story.pk])
    with _on_commit(execute=True):
        story.delete()
    assert Client().get(poll).status_code == 404
    assert wsgi_get(url, query)[0] == "404 Not Found"


def test_a_page_too_far_behind_is_told_to_reload(people, monkeypatch):
    monkeypatch.setattr(stream, "LOG_KEPT", 2)
    story = live_story()
    editor = signed_in(people["editor"])
    for n in range(3):
        post(editor, story, body=f"<p>Update {n}.</p>")
    assert changes(Client(), story, 0)["reload"] is True


# The page, its metadata and its feed -------------------------------------------------------


def test_live_blog_posting_json_ld(people):
    story = live_story(title="Floods in the capital")
    editor = signed_in(people["editor"])
    post(editor, story, headline="Bridge closed", body="<p>Police closed the bridge.</p>")
    post(editor, story, body="<p>Rain is easing, forecasters say.</p>")
    response = Client().get(story.get_absolute_url())
    head = Head(response.text)
    data = head.block("LiveBlogPosting")
    assert not [block for block in head.json_ld if block["@type"] == "NewsArticle"]
    assert data["headline"] == "Floods in the capital"
    assert data["coverageStartTime"] and "coverageEndTime" not in data
    for name in ("datePublished", "dateModified", "publisher", "author", "url"):
        assert data[name]
    updates = data["liveBlogUpdate"]
    assert [update["headline"] for update in updates] == [
        "Rain is easing, forecasters say.",
        "Bridge closed",
    ]
    for update in updates:
        assert update["@type"] == "BlogPosting"
        assert update["url"].startswith("http://testserver/") and "#update-" in update["url"]
        for name in ("datePublished", "dateModified", "articleBody", "author", "publisher"):
            assert update[name]
    assert data["dateModified"] >= updates[0]["datePublished"]
    assert head.one("article:modified_time") >= updates[0]["datePublished"][:16]

    send(editor, story, {"action": "end"})
    ended = Head(Client().get(story.get_absolute_url()).text).block("LiveBlogPosting")
    assert ended["coverageEndTime"] >= ended["coverageStartTime"]


def test_each_entry_has_a_permalink_and_a_share_page_with_its_own_title(people):
    story = live_story()
    post(signed_in(people["editor"]), story, headline="Bridge closed")
    entry = LiveEntry.objects.get()
    assert f'id="update-{entry.pk}"' in page(story)
    share = Client().get(reverse("live:share", args=[entry.pk]))
    head = Head(share.text)
    assert head.one("og:title") == "Bridge closed"
    # People who follow the shared link are taken to the entry on the story's page.
    assert f'http-equiv="refresh" content="0; url={entry.get_absolute_url()}"' in share.text


def test_the_atom_feed_lists_the_entries_newest_first(people):
    story = live_story(title="Floods")
    editor = signed_in(people["editor"])
    post(editor, story, headline="Bridge closed")
    post(editor, story, body="<p>Rain <em>easing</em>.</p>")
    response = Client().get(reverse("live:feed", args=[story.pk]))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text == "Floods: live updates"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == [
        "Rain easing.",
        "Bridge closed",
    ]
    assert "<em>easing</em>" in entries[0].find(f"{ATOM}summary").text
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.startswith("http://testserver/") and "#update-" in link


def test_a_story_without_coverage_has_no_feed_and_its_own_json_ld():
    story = make_article()
    assert Client().get(reverse("live:feed", args=[story.pk])).status_code == 404
    head = Head(Client().get(story.get_absolute_url()).text)
    assert head.block("NewsArticle")
    assert "live-badge" not in page(story)


def test_cards_say_live_while_coverage_runs(people):
    story = make_article(title="Floods in the capital", is_featured=True)
    other = make_article(title="Budget passed")
    editor = signed_in(people["editor"])
    section = story.category.get_absolute_url()
    assert "live-badge" not in Client().get("/").text
    send(editor, story, {"action": "start"})
    front = Client().get("/").text
    assert front.count('class="live-badge"') == 1  # The lead's card; not the other story's.
    assert "live-badge" in Client().get(section).text
    assert "live-badge" in Client().get(reverse("search:search"), {"q": "Floods"}).text
    assert "live-badge" not in Client().get(other.category.get_absolute_url()).text
    send(editor, story, {"action": "end"})
    assert "live-badge" not in Client().get("/").text
    assert "live-badge" not in Client().get(section).text


def test_a_live_lead_lists_its_latest_key_events_on_the_front_page(people):
    story = live_story(is_featured=True)
    editor = signed_in(people["editor"])
    post(editor, story, headline="Bridge closed", is_key_event="on")
    post(editor, story, headline="Minor detail")
    front = Client().get("/").text
    assert "Key events" in front and "Bridge closed" in front and "Minor detail" not in front
    assert "live/live.js" in front and f'data-live-story="{story.pk}"' in front
    post(editor, story, headline="Army called in", is_key_event="on")
    assert "Army called in" in Client().get("/").text
