"""The editors' side of newsletters in the admin: each role against each route (preview, test
send, subscribers' addresses), editors' edits of an upcoming issue, and every page rendered."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from newsletters.models import Issue, IssueStory, Newsletter

from .factories import make_article, make_newsletter, make_subscriber, make_user

pytestmark = pytest.mark.django_db


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
