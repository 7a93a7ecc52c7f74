"""The demo's moderation: word lists, comments filed as a new one would be, readers' reports and
a suspended commenter (demo/content/moderation.toml, comments.toml), so that a newcomer finds
something in every queue of the moderation console."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from comments.commenters import Commenter, Note, Sanction, commenter_key
from comments.models import Comment, WordList
from comments.moderation import moderator
from comments.reports import Report
from demo import content

STATUSES = {
    "approved": Comment.Status.APPROVED,
    "pending": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "rejected": Comment.Status.REJECTED,
}


def load_word_lists():
    """The lists of moderation.toml, once: a list a moderator has changed is theirs."""
    for word_list in content.moderation().get("word_lists", []):
        WordList.objects.get_or_create(
            name=word_list["name"],
            defaults={"kind": word_list["kind"], "rules": "\n".join(word_list["rules"])},
        )


def add_comment(article, data, created_at):
    """One comment of comments.toml, with what the word lists find in it (as the console shows
    a new comment's) and its readers' reports."""
    status = STATUSES[data.get("status") or ("approved" if data["approved"] else "pending")]
    comment = Comment(
        article=article,
        name=data["name"],
        email=data["email"],
        body=data["body"],
        status=status,
        created_at=created_at,
    )
    comment.matched_words = [
        match.as_json(getattr(comment, field), field)
        for field, match in moderator.words_found(comment)
    ]
    if status == Comment.Status.SPAM:
        comment.spam_reason = "Demo: filed as spam by the word lists."
    comment.save()
    Report.objects.bulk_create(
        Report(comment=comment, reason=reason, reporter=f"demo-reader-{number}")
        for number, reason in enumerate(data.get("reports", []), start=1)
    )
    return comment


def load_sanctions():
    """The sanctions of moderation.toml, once per commenter, by the demo moderator if there is
    one (made only with DEBUG on)."""
    by = get_user_model().objects.filter(username="moderator").first()
    for sanction in content.moderation().get("sanctions", []):
        commenter, _ = Commenter.objects.get_or_create(key=commenter_key(sanction["email"]))
        if commenter.sanctions.exists():
            continue
        days = sanction.get("days")
        Sanction.objects.create(
            commenter=commenter,
            kind=sanction["kind"],
            until=timezone.now() + timedelta(days=days) if days else None,
            reason=sanction["reason"],
            created_by=by,
        )
        if sanction.get("note"):
            Note.objects.create(commenter=commenter, text=sanction["note"], author=by)
