"""What a moderator reads in the queue and on a comment's page: all of the comment, why the site
filed it as spam, who decided it, and links that lead somewhere a moderator may go."""

from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")


def change_page(comment):
    return reverse("admin:comments_comment_change", args=[comment.pk])


@pytest.fixture
def moderator(client):
    user = make_user(is_staff=True, groups=["Moderators"])
    client.force_login(user)
    return user


def test_the_queue_shows_the_whole_comment_escaped_with_its_line_breaks(client, moderator):
    long_paragraph = "The tender documents tell another story. " * 20  # 820 characters
    make_comment(body=f"{long_paragraph.strip()}\nSecond line <script>alert(1)</script> & more")

    page = client.get(QUEUE).text

    assert (
        long_paragraph.strip() + "<br>Second line &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"
        in page
    )
    assert "<script>alert(1)" not in page


def test_a_reply_in_the_queue_names_its_thread_escaped(client, moderator):
    thread = make_comment(name="<i>Aigerim</i>", status="approved")
    make_comment(thread.article, parent=thread, body="Quite right.\nAnd more.")

    page = client.get(QUEUE).text

    assert "↳ Reply to &lt;i&gt;Aigerim&lt;/i&gt;: Quite right.<br>And more." in page


def test_a_spam_comment_says_why_in_the_queue_and_on_its_page(client, moderator):
    spam = make_comment(status="spam", spam_reason="Too many links (7) <for a comment>.")
    make_comment(status="spam", spam_reason="")

    queue = client.get(QUEUE, {"status__exact": "spam"}).text
    everything = client.get(QUEUE, {"status__exact": "all"}).text
    page = client.get(change_page(spam)).text

    reason = "Too many links (7) &lt;for a comment&gt;."
    assert f"<strong>Why spam:</strong> {reason}</p>" in queue
    assert queue.count("Why spam:") == 1  # Only a comment the site filed has a reason.
    assert reason in everything
    assert reason in page and "Why it was filed as spam" in page


def test_moderated_by_is_the_moderators_name_not_a_link_to_the_user_admin(client, moderator):
    olga = make_user(is_staff=True, groups=["Moderators"], first_name="Olga", last_name="Petrova")
    comment = make_comment(status="approved", moderated_by=olga, moderated_at=timezone.now())
    initials = make_user(username="ab", is_staff=True, groups=["Moderators"])
    other = make_comment(status="rejected", moderated_by=initials, moderated_at=timezone.now())

    page = client.get(change_page(comment)).text
    other_page = client.get(change_page(other)).text

    assert '<div class="readonly">Olga Petrova</div>' in page
    assert '<div class="readonly">ab</div>' in other_page
    assert "/admin/auth/user/" not in page + other_page


def test_a_comment_the_site_decided_says_so(client, moderator):
    trusted = make_comment(status="approved", moderated_by=None, moderated_at=timezone.now())
    waiting = make_comment(status="pending")

    assert '<div class="readonly">The site itself</div>' in client.get(change_page(trusted)).text
    assert "The site itself" not in client.get(change_page(waiting)).text


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_on(url, html):
    """The same-site addresses a page links to, without fragments."""
    parser = Links()
    parser.feed(html)
    addresses = (urldefrag(urljoin(url, href)).url for href in parser.hrefs)
    return {a for a in addresses if urlsplit(a).scheme in ("", "http") and not urlsplit(a).netloc}


def is_comment_page(url):
    path = urlsplit(url).path
    return path.startswith("/admin/comments/comment/") and path.endswith("/change/")


def test_every_link_in_the_queue_and_on_comment_pages_works_for_a_moderator(client, moderator):
    story = make_article()
    colleague = make_user(is_staff=True, groups=["Moderators"], first_name="Olga")
    thread = make_comment(
        story, status="approved", moderated_by=colleague, moderated_at=timezone.now()
    )
    make_comment(story, parent=thread, status="pending")
    make_comment(story, status="spam", spam_reason="Hidden field filled in.")
    make_comment(story, status="rejected", moderated_by=moderator, moderated_at=timezone.now())

    queues = [f"{QUEUE}?status__exact=pending", f"{QUEUE}?status__exact=all"]
    to_visit, answers = list(queues), {}
    while to_visit:
        url = to_visit.pop()
        if url in answers:
            continue
        response = client.get(url, follow=True)
        answers[url] = response.status_code
        # The links on the queues and on the comment pages they lead to; no further (the
        # queue's filters and sort orders link to each other without end).
        if response.status_code == 200 and (url in queues or is_comment_page(url)):
            # The queue's own filter and sort links are Django's, and answer alike.
            found = {a for a in links_on(url, response.text) if urlsplit(a).path != QUEUE}
            to_visit += found - answers.keys()

    assert any(url.startswith(change_page(thread)) for url in answers)  # It got that far.
    assert {url: code for url, code in answers.items() if code >= 400} == {}


def test_the_queue_costs_the_same_queries_however_many_comments_it_shows(client, moderator):
    def queries_for_queue():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE, {"status__exact": "all"}).status_code == 200
        return len(queries)

    thread = make_comment(status="approved", moderated_by=moderator, moderated_at=timezone.now())
    make_comment(thread.article, parent=thread, spam_reason="Too fast.", status="spam")
    few = queries_for_queue()
    for _ in range(5):
        reply = make_comment(thread.article, parent=thread, status="pending")
        make_comment(reply.article, status="rejected", moderated_by=moderator)

    assert queries_for_queue() == few
