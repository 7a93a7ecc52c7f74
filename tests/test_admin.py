from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import About, Article
from comments.audit import RejectionReason
from comments.models import Comment

from .factories import (
    article_admin_data,
    image_upload,
    make_article,
    make_category,
    make_comment,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def editor_client(client):
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    return client


@pytest.fixture
def moderator(client):
    user = make_user(is_staff=True, groups=["Moderators"])
    client.force_login(user)
    return user


def test_groups_exist_on_a_fresh_database():
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    moderators = set(
        Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True)
    )
    for model in ("article", "category", "tag", "about"):
        assert {f"add_{model}", f"change_{model}", f"delete_{model}", f"view_{model}"} <= editors
    word_lists = {f"{action}_wordlist" for action in ("add", "change", "delete", "view")}
    assert moderators == {"view_comment", "change_comment", "view_article", *word_lists}


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        "admin:articles_article_changelist",
        "admin:articles_article_add",
        "admin:articles_category_changelist",
        "admin:articles_category_add",
        "admin:comments_comment_changelist",
        "admin:comments_wordlist_changelist",
        "admin:comments_wordlist_add",
        "admin:comments_comment_console",
        "admin:taggit_tag_changelist",
        "admin:auth_user_changelist",
        "admin:auth_group_changelist",
    ],
)
def test_every_admin_page_renders(superuser_client, url_name):
    story = make_article(tags=["Trade"])
    make_comment(story)
    assert superuser_client.get(reverse(url_name)).status_code == 200


def test_change_pages_render(superuser_client):
    story = make_article(tags=["Trade"])
    comment = make_comment(story)
    for url in (
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:articles_category_change", args=[story.category.pk]),
        reverse("admin:comments_comment_change", args=[comment.pk]),
        reverse("admin:articles_about_change", args=[About.load().pk]),
    ):
        assert superuser_client.get(url).status_code == 200, url


def test_article_list_shows_draft_scheduled_and_published(superuser_client):
    make_article(title="A draft", status=Article.Status.DRAFT)
    make_article(title="A scheduled one", published_at=timezone.now() + timedelta(days=2))
    make_article(title="A live one")
    url = reverse("admin:articles_article_changelist")

    page = superuser_client.get(url).text
    scheduled_only = superuser_client.get(url, {"state": "scheduled"})

    for label in ("Draft", "Scheduled for ", "Published"):
        assert f'<td class="field-state">{label}' in page
    assert [a.title for a in scheduled_only.context["cl"].result_list] == ["A scheduled one"]


def test_article_admin_offers_date_drilldown_search_and_slug_prefill(superuser_client):
    make_article()
    changelist = superuser_client.get(reverse("admin:articles_article_changelist"))
    add = superuser_client.get(reverse("admin:articles_article_add"))

    assert changelist.context["cl"].date_hierarchy == "published_at"
    assert 'id="searchbar"' in changelist.text
    assert "data-prepopulated-fields" in add.text and "&quot;#id_title&quot;" in add.text
    assert 'name="tags"' in add.text


def test_editor_writes_and_publishes_a_story_with_image_and_tags(client):
    editor = make_user(is_staff=True, groups=["Editors"])
    client.force_login(editor)
    section = make_category(name="World")

    response = client.post(
        reverse("admin:articles_article_add"),
        article_admin_data(
            section,
            title="Kazakhstan joins the Abraham Accords",
            slug="kazakhstan-joins-abraham-accords",
            standfirst="Astana signs up.",
            tags="Kazakhstan, Diplomacy",
            author=editor.pk,
            featured_image=image_upload(),
            featured_image_alt="Flags",
            status="published",
            is_featured="on",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Article.objects.get()
    assert story.author == editor
    assert sorted(story.tags.names()) == ["Diplomacy", "Kazakhstan"]
    assert story.featured_image_width == 640
    assert client.get(story.get_absolute_url()).status_code == 200


def test_image_without_alt_text_is_a_form_error(editor_client):
    section = make_category()
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_admin_data(section, featured_image=image_upload(), featured_image_alt=""),
    )
    assert response.status_code == 200
    assert "Describe the image for readers who cannot see it." in response.text
    assert not Article.objects.exists()


def test_editors_manage_categories_tags_and_about_but_not_comments_or_users(editor_client):
    assert editor_client.get(reverse("admin:articles_category_add")).status_code == 200
    assert editor_client.get(reverse("admin:taggit_tag_add")).status_code == 200
    about_url = reverse("admin:articles_about_change", args=[About.load().pk])
    assert editor_client.get(about_url).status_code == 200
    assert editor_client.get(reverse("admin:comments_comment_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_editor_changes_the_about_box_and_every_page_shows_it(editor_client):
    about = About.load()
    response = editor_client.post(
        reverse("admin:articles_about_change", args=[about.pk]),
        {
            "site_name": "The Meridian",
            "tagline": "Calm news",
            "summary": "Independent journalism from Almaty.",
            "body": "<p>Hello.</p>",
        },
    )
    assert response.status_code == 302
    editor_client.logout()
    assert "Independent journalism from Almaty." in editor_client.get("/").text


def test_about_admin_allows_no_second_row_and_no_delete(superuser_client):
    about = About.load()
    assert superuser_client.get(reverse("admin:articles_about_add")).status_code == 403
    delete = reverse("admin:articles_about_delete", args=[about.pk])
    assert superuser_client.get(delete).status_code == 403
    changelist = superuser_client.get(reverse("admin:articles_about_changelist"))
    assert changelist.status_code == 302
    assert changelist["Location"] == reverse("admin:articles_about_change", args=[about.pk])


def test_moderation_queue_lists_pending_first(client, moderator):
    story = make_article(title="The story under discussion")
    now = timezone.now()
    approved = make_comment(story, status="approved", created_at=now)
    pending = make_comment(story, status="pending", created_at=now - timedelta(days=1))

    everything = client.get(reverse("admin:comments_comment_changelist"), {"status__exact": "all"})
    response = client.get(reverse("admin:comments_comment_changelist"))

    assert list(everything.context["cl"].result_list) == [pending, approved]
    # The queue opens on what needs a decision.
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [pending]
    assert reverse("admin:articles_article_change", args=[story.pk]) in response.text
    assert "The story under discussion" in response.text


def test_moderation_queue_filters_by_status(client, moderator):
    make_comment(status="spam", body="Cheap watches")
    make_comment(status="pending", body="A fair point")

    response = client.get(reverse("admin:comments_comment_changelist"), {"status__exact": "spam"})

    assert [c.body for c in response.context["cl"].result_list] == ["Cheap watches"]


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "approved"), ("reject", "rejected"), ("mark_spam", "spam")],
)
def test_moderator_bulk_actions_record_who_and_when(client, moderator, action, status):
    story = make_article()
    chosen = [make_comment(story), make_comment(story)]
    untouched = make_comment(story)

    # Rejecting asks why first (tests/test_rejection_audit.py): here the answer comes along.
    why = {"confirm": "yes", "reason": RejectionReason.objects.first().pk}
    response = client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": action, "_selected_action": [c.pk for c in chosen], **why},
        follow=True,
    )

    assert response.status_code == 200
    assert "2 comments" in response.text
    for comment in chosen:
        comment.refresh_from_db()
        assert comment.status == status
        assert comment.moderated_by == moderator
        assert comment.moderated_at is not None
    untouched.refresh_from_db()
    assert untouched.status == Comment.Status.PENDING


def test_moderators_see_articles_but_cannot_change_them(client, moderator):
    story = make_article()
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200
    response = client.post(
        reverse("admin:articles_article_change", args=[story.pk]), {"title": "Vandalised"}
    )
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.title != "Vandalised"
    assert client.get(reverse("admin:articles_category_changelist")).status_code == 403


def test_staff_without_comment_rights_cannot_moderate(client):
    client.force_login(make_user(is_staff=True))
    comment = make_comment()

    response = client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk]},
    )

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_changing_status_on_the_comment_form_records_the_moderator(client, moderator):
    comment = make_comment()
    response = client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]),
        {"name": comment.name, "email": comment.email, "body": comment.body, "status": "approved"},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == ("approved", moderator)
