"""The emails newsletters send: the confirmation of a sign-up and the issues.

An issue is drawn once (HTML with its CSS inline and a table layout, and a plain-text part)
with placeholders for the reader's own links; each recipient's message only fills those in,
so that 10,000 messages cost one render.
"""

import email.policy
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.html import escape

from images.processing import fallback_rendition

from .links import absolute, confirm_url, manage_url, site_domain, unsubscribe_url

MANAGE_MARK = "%%MANAGE_URL%%"
UNSUBSCRIBE_MARK = "%%UNSUBSCRIBE_URL%%"


def image_url(article):
    """An absolute address of the story's JPEG/PNG rendition (mail clients show no WebP), or
    None when it has no image or its width is unknown."""
    image = article.featured_image
    if not image:
        return None
    found = fallback_rendition(image.name, article.featured_image_width)
    if not found:
        return None
    url = image.storage.url(found[1])
    return url if url.startswith(("http://", "https://")) else absolute(url)


class NewsletterMessage(EmailMultiAlternatives):
    def message(self, *, policy=email.policy.default):
        # A one-click link longer than 78 characters must stay one token: folded at 78,
        # Python writes the header as =?utf-8?q?...?=, which mail clients do not read as a
        # link. RFC 5322 allows header lines of up to 998 characters.
        return super().message(policy=policy.clone(max_line_length=998))


@dataclass
class DrawnIssue:
    subject: str
    html: str
    text: str


def draw_issue(issue):
    """The issue's subject, HTML and text, with the reader's links as placeholders."""
    articles = issue.articles()
    stories = [
        {
            "article": article,
            "url": absolute(article.get_absolute_url()),
            "image_url": image_url(article),
        }
        for article in articles
    ]
    context = {
        "issue": issue,
        "newsletter": issue.newsletter,
        "subject": issue.subject(articles),
        "intro_paragraphs": [p.strip() for p in issue.intro.split("\n\n") if p.strip()],
        "stories": stories,
        "site_url": settings.SITE_URL,
        "manage_url": MANAGE_MARK,
        "unsubscribe_url": UNSUBSCRIBE_MARK,
    }
    return DrawnIssue(
        subject=context["subject"],
        html=render_to_string("newsletters/email/issue.html", context),
        text=render_to_string("newsletters/email/issue.txt", context),
    )


def list_headers(subscriber, newsletter, one_click_url):
    """RFC 2369 and RFC 8058 headers: mail clients show an "Unsubscribe" button that POSTs
    to the https link (Gmail and Yahoo require it of bulk senders); the mailto: is optional."""
    targets = [f"<{one_click_url}>"]
    if settings.NEWSLETTER_UNSUBSCRIBE_MAILTO:
        targets.append(f"<mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILTO}?subject=unsubscribe>")
    return {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{newsletter.name} <{newsletter.slug}.{site_domain()}>",
    }


def issue_message(drawn, issue, subscriber):
    """The issue for one subscriber. Its Message-ID names the issue and the reader: one
    message, whatever happens to the worker sending it."""
    manage = manage_url(subscriber)
    unsubscribe = unsubscribe_url(subscriber, issue.newsletter_id)
    headers = list_headers(subscriber, issue.newsletter, unsubscribe)
    headers["Message-ID"] = f"<issue-{issue.pk}.{subscriber.pk}@{site_domain()}>"
    message = NewsletterMessage(
        drawn.subject,
        drawn.text.replace(MANAGE_MARK, manage).replace(UNSUBSCRIBE_MARK, unsubscribe),
        settings.NEWSLETTER_FROM_EMAIL,
        [subscriber.email],
        headers=headers,
    )
    message.attach_alternative(
        drawn.html.replace(MANAGE_MARK, escape(manage)).replace(
            UNSUBSCRIBE_MARK, escape(unsubscribe)
        ),
        "text/html",
    )
    return message


def test_message(drawn, issue, email):
    """The issue as an editor's test: the links are marked as examples, nobody's real ones."""
    example = absolute("/newsletters/")
    message = EmailMultiAlternatives(
        f"[Test] {drawn.subject}",
        drawn.text.replace(MANAGE_MARK, example).replace(UNSUBSCRIBE_MARK, example),
        settings.NEWSLETTER_FROM_EMAIL,
        [email],
    )
    message.attach_alternative(
        drawn.html.replace(MANAGE_MARK, example).replace(UNSUBSCRIBE_MARK, example), "text/html"
    )
    return message


def confirmation_message(subscriber, newsletters):
    context = {
        "confirm_url": confirm_url(subscriber, [n.pk for n in newsletters]),
        "newsletters": newsletters,
        "site_url": settings.SITE_URL,
        "days": settings.NEWSLETTER_CONFIRM_DAYS,
    }
    return EmailMultiAlternatives(
        "Confirm your newsletter subscription",
        render_to_string("newsletters/email/confirm.txt", context),
        settings.NEWSLETTER_FROM_EMAIL,
        [subscriber.email],
    )
