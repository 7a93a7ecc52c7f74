"""Who may see and change which story, on every route that shows or changes one: the change
form, the history and its versions, revert, preview, delete and the bulk actions.

The rule (ArticleAdmin, Article.can_be_changed_by, ArticleQuerySet.visible_to): editors see
and change every story; writers see their own and change them until they were public;
moderators see published stories, read-only. A story someone may not see is not found; one
they may see but not change is read-only, and a save is refused with a 403.
"""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Redirect

from .factories import article_admin_data, make_article, make_user

pytestmark = pytest.mark.django_db

OLD_TITLE, OLD_BODY = "Old headline", "<p>Old text.</p>"
TODAY_TITLE, TODAY_BODY = "Headline of today", "<p>Text of today.</p>"


@pytest.fixture
def people():
    return {
        "owner": make_user("wendy", groups=["Writers"], is_staff=True),
        "other_writer": make_user("walt", groups=["Writers"], is_staff=True),
        "editor": make_user("eddie", groups=["Editors"], is_staff=True),
        "moderator": make_user("moira", groups=["Moderators"], is_staff=True),
        "superuser": make_user("root", is_staff=True, is_superuser=True),
    }


def signed_in(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def story_with_history(author, **today):
    """A story whose first version was a draft with the old words, and today's version."""
    story = make_article(
        title=OLD_TITLE,
        body=OLD_BODY,
        author=author,
        status=Article.Status.DRAFT,
        published_at=timezone.now() - timedelta(days=3),
    )
    story = Article.objects.get(pk=story.pk)
    for field, value in {"title": TODAY_TITLE, "body": TODAY_BODY, **today}.items():
        setattr(story, field, value)
    story.save()
    return Article.objects.get(pk=story.pk)


STATES = {
    # In review: the writer handed it in; not public.
    "draft": {"status": Article.Status.REVIEW},
    # Scheduled by an editor for tomorrow: not public yet.
    "scheduled": {
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() + timedelta(days=1),
    },
    "published": {
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(hours=1),
    },
}


def first_version(story):
    return story.history.earliest()


def routes(story):
    """Route name -> (method, address, POST data) for one story."""
    first = first_version(story)
    change = reverse("admin:articles_article_change", args=[story.pk])
    version = reverse("admin:articles_article_simple_history", args=[story.pk, first.pk])
    # What an attacker posts: the old words, and the story back to a draft.
    payload = article_admin_data(
        story.category, title=OLD_TITLE, body=OLD_BODY, slug=story.slug, status="draft"
    )
    return {
        "change": ("get", change, None),
        "save": ("post", change, payload | {"title": "Vandalised"}),
        "history": ("get", reverse("admin:articles_article_history", args=[story.pk]), None),
        "version": ("get", version, None),
        "compare": (
            "get",
            reverse("admin:articles_article_compare", args=[story.pk])
            + f"?old={first.pk}&new={story.history.latest().pk}",
            None,
        ),
        "revert": ("post", version, payload),
        "preview": ("get", reverse("articles:preview", args=[story.pk]), None),
        "delete": (
            "post",
            reverse("admin:articles_article_delete", args=[story.pk]),
            {"post": "yes"},
        ),
        "unpublish": (
            "post",
            reverse("admin:articles_article_changelist"),
            {"action": "unpublish", "_selected_action": [story.pk]},
        ),
    }


# Outcomes: "edit" a form to change it, "read" the same read-only, "shown" the page, "saved"
# the change made; "login", "missing" (the admin's "does not exist"), 404, 403 and "ignored"
# (an action the user does not have) leave the story exactly as it was.
SIGNED_OUT = dict.fromkeys(
    ["change", "save", "history", "version", "compare", "revert"], "login"
) | {
    "preview": 404,
    "delete": "login",
    "unpublish": "login",
}
HIDDEN = {
    "change": "missing",
    "save": "missing",
    "history": 404,
    "version": 404,
    "compare": 404,
    "revert": 404,
    "preview": 404,
    "delete": 403,
    "unpublish": "ignored",
}
READ_ONLY = {
    "change": "read",
    "save": 403,
    "history": "shown",
    "version": "read",
    "compare": "shown",
    "revert": 403,
    "preview": "shown",
    "delete": 403,
    "unpublish": "ignored",
}
WRITER = READ_ONLY | {"change": "edit", "save": "saved", "version": "edit", "revert": "saved"}
EDITOR = WRITER | {"delete": "saved", "unpublish": "saved"}

EXPECTED = {
    "anonymous": dict.fromkeys(STATES, SIGNED_OUT),
    "owner": {"draft": WRITER, "scheduled": WRITER, "published": READ_ONLY},
    "other_writer": dict.fromkeys(STATES, HIDDEN),
    "editor": dict.fromkeys(STATES, EDITOR),
    "moderator": {"draft": HIDDEN, "scheduled": HIDDEN, "published": READ_ONLY},
    "superuser": dict.fromkeys(STATES, EDITOR),
}
ROUTES = list(HIDDEN)

SNAPSHOT = ["title", "body", "status", "published_at", "is_featured", "author_id", "version"]


def snapshot(story):
    return Article.objects.filter(pk=story.pk).values(*SNAPSHOT).first()


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_on_each_story_route(people, role, state, route):
    story = story_with_history(people["owner"], **STATES[state])
    before = snapshot(story)
    method, url, data = routes(story)[route]
    client = signed_in(people.get(role))

    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)

    expected = EXPECTED[role][state][route]
    after = snapshot(story)
    if expected == "saved":
        assert response.status_code == 302
        assert after != before
        if route == "delete":
            assert after is None
        elif route == "save":
            assert after["title"] == "Vandalised"
        elif route == "revert":
            assert (after["title"], after["body"]) == (OLD_TITLE, OLD_BODY)
        else:
            assert after["status"] == Article.Status.DRAFT
        return

    assert after == before, "the story must be left exactly as it was"
    if expected in ("edit", "read", "shown"):
        assert response.status_code == 200
        page = response.text
        if route == "preview":
            assert TODAY_TITLE in page
        elif route in ("history", "compare"):
            assert OLD_TITLE in page and TODAY_TITLE in page
        else:
            # A form to change it, or the same read-only with no button to save.
            editable = 'name="title"' in page
            button = 'value="Revert"' in page if route == "version" else 'name="_save"' in page
            assert (editable, button) == ((True, True) if expected == "edit" else (False, False))
    elif expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif expected == "missing":
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:index")
    elif expected == "ignored":
        assert response.status_code == 200  # the list again: there is no such action for them
    else:
        assert response.status_code == expected
        assert TODAY_TITLE not in response.text and OLD_TITLE not in response.text


def test_every_story_route_the_admin_has_is_in_the_matrix():
    """A route added to ArticleAdmin, by Django or by a package, must get a row above."""
    checked = {
        "articles_article_changelist",  # the list, the bulk actions: below and above
        "articles_article_add",  # a new story: no one else's to see or change
        "articles_article_change",
        "articles_article_history",
        "articles_article_simple_history",
        "articles_article_compare",
        "articles_article_delete",
    }
    names = {url.name for url in admin.site.get_model_admin(Article).get_urls() if url.name}
    assert names == checked


def test_the_story_list_shows_each_role_only_the_stories_they_may_open(people):
    mine = story_with_history(people["owner"], **STATES["draft"])
    out = story_with_history(people["other_writer"], **STATES["published"])
    Article.objects.filter(pk=out.pk).update(title="Out now")
    Article.objects.filter(pk=mine.pk).update(title="My draft")
    changelist = reverse("admin:articles_article_changelist")

    def listed(role):
        page = signed_in(people[role]).get(changelist)
        return sorted(story.title for story in page.context["cl"].result_list)

    assert listed("owner") == ["My draft"]
    assert listed("other_writer") == ["Out now"]
    assert listed("moderator") == ["Out now"]
    assert listed("editor") == ["My draft", "Out now"]


def test_the_history_of_a_deleted_story_is_not_shown_to_other_writers(people):
    story = story_with_history(people["owner"], **STATES["draft"])
    history = reverse("admin:articles_article_history", args=[story.pk])
    story.delete()

    response = signed_in(people["other_writer"]).get(history)

    assert response.status_code == 404
    assert OLD_TITLE not in response.text


# Restoring an old version: the words come back, the publishing state stays.


class SubmittedForm(HTMLParser):
    """The name/value pairs a browser submits for a form, as the page shows it."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self.select = self.textarea = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif not self.inside or "disabled" in attrs:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file", "reset", "image"):
                self.add(attrs["name"], attrs.get("value", "on"))
        elif tag == "select":
            self.select, self.options = attrs.get("name"), []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self.add(self.textarea, "")

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            self.add(self.select, (chosen or [value for value, _ in self.options])[0])
            self.select = None


def as_shown(response, **changes):
    """What the revert form posts when its button is pressed, with `changes` typed in."""
    assert response.status_code == 200
    parser = SubmittedForm("historicalarticle_form")
    parser.feed(response.text)
    assert parser.data, "the revert form is on the page"
    return parser.data | {name: [value] for name, value in changes.items()}


def revert_url(story):
    return reverse(
        "admin:articles_article_simple_history", args=[story.pk, first_version(story).pk]
    )


def test_a_writer_restores_the_words_and_keeps_status_author_time_and_lead_mark(people):
    wendy, walt, editor = people["owner"], people["other_writer"], people["editor"]
    when = timezone.now() - timedelta(days=3)
    story = make_article(
        title=OLD_TITLE,
        body=OLD_BODY,
        author=walt,
        status=Article.Status.DRAFT,
        published_at=when,
        is_featured=True,
    )
    # An editor hands the story to Wendy, for tomorrow, not as the lead; she submits it.
    story = Article.objects.get(pk=story.pk)
    tomorrow = timezone.now() + timedelta(days=1)
    story.title, story.body, story.author, story.published_at = (
        TODAY_TITLE,
        TODAY_BODY,
        wendy,
        tomorrow,
    )
    story.is_featured, story.status = False, Article.Status.REVIEW
    story._history_user = editor
    story.save()
    client = signed_in(wendy)
    form = client.get(revert_url(story))

    # The box that restores the old state is an editor's; posting it anyway changes nothing.
    assert 'name="restore_publishing"' not in form.text
    response = client.post(revert_url(story), as_shown(form, restore_publishing="on"))

    assert response.status_code == 302
    story = Article.objects.get(pk=story.pk)
    assert (story.title, story.body) == (OLD_TITLE, OLD_BODY)
    assert (story.status, story.author, story.published_at, story.is_featured) == (
        Article.Status.REVIEW,
        wendy,
        tomorrow,
        False,
    )


def test_an_editor_restores_old_words_and_the_story_stays_published(people):
    story = story_with_history(people["owner"], **STATES["published"])
    # The form shows whole seconds, as the change form does.
    published_at = story.published_at.replace(microsecond=0)
    client = signed_in(people["editor"])

    form = client.get(revert_url(story))
    response = client.post(revert_url(story), as_shown(form))

    assert "This version was: Draft" in form.text
    assert response.status_code == 302
    story = Article.objects.get(pk=story.pk)
    assert (story.title, story.body) == (OLD_TITLE, OLD_BODY)
    assert (story.status, story.published_at) == (Article.Status.PUBLISHED, published_at)
    assert story.is_public
    assert story.history.latest().history_change_reason.startswith("Restored the version of")


def test_an_editor_may_restore_the_old_status_and_time_by_ticking_the_box(people):
    story = story_with_history(people["owner"], **STATES["published"])
    old = first_version(story)
    client = signed_in(people["editor"])

    form = client.get(revert_url(story))
    response = client.post(revert_url(story), as_shown(form, restore_publishing="on"))

    assert 'name="restore_publishing"' in form.text
    assert response.status_code == 302
    story = Article.objects.get(pk=story.pk)
    assert (story.title, story.status, story.published_at) == (
        OLD_TITLE,
        Article.Status.DRAFT,
        old.published_at,
    )
    assert not story.is_public


def test_restoring_a_public_storys_old_slug_keeps_the_newer_address_working(people):
    story = make_article(slug="first-name", title=OLD_TITLE)
    story = Article.objects.get(pk=story.pk)
    story.slug, story.title = "second-name", TODAY_TITLE
    story.save()
    second_address = story.get_absolute_url()
    client = signed_in(people["editor"])

    response = client.post(revert_url(story), as_shown(client.get(revert_url(story))))

    assert response.status_code == 302
    story = Article.objects.get(pk=story.pk)
    assert story.slug == "first-name"
    assert Redirect.objects.filter(old_path=second_address, article=story).exists()
    moved = Client().get(second_address)
    assert (moved.status_code, moved["Location"]) == (301, story.get_absolute_url())
    assert story.revised_at is not None  # readers are told the text changed


def test_a_revert_form_opened_before_another_save_is_refused(people):
    story = story_with_history(people["owner"], **STATES["draft"])
    client = signed_in(people["editor"])
    form = client.get(revert_url(story))
    # Someone saves the story after the revert form was opened.
    meanwhile = Article.objects.get(pk=story.pk)
    meanwhile.title = "Saved meanwhile"
    meanwhile.save()

    response = client.post(revert_url(story), as_shown(form))

    assert response.status_code == 200
    assert "Someone else saved this story at" in response.text
    assert Article.objects.get(pk=story.pk).title == "Saved meanwhile"


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_the_public_address_of_an_unpublished_story_follows_the_same_rule(people, state):
    """Django's admin "view on site" link (/admin/r/<type>/<id>/) turns a sequential id into the
    story's public address: there, too, only those who may open the story in the admin see it."""
    story = story_with_history(people["owner"], **STATES[state])
    expected = {
        "owner": 200,
        "editor": 200,
        "superuser": 200,
        "other_writer": 404,
        "moderator": 404,
        None: 404,
    }
    for role, status in expected.items():
        client = signed_in(people[role] if role else None)
        response = client.get(story.get_absolute_url())
        assert response.status_code == status, role
        if status == 404:
            assert TODAY_TITLE not in response.text
