"""Word lists: banned words reject a comment or file it as spam, suspect words hold it for a
moderator, matched whole-word and whatever the case, accents or lookalike letters; the queue
shows the exact words that matched (comments/wordrules.py, Moderator.receive)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from comments import wordrules
from comments.models import Comment, WordList

from .factories import make_comment, make_user
from .test_comments import become_returning_commenter, make_story, post

pytestmark = pytest.mark.django_db


def found(rules, text):
    """The words of `text` that the rules (one a line) match, as the reader wrote them."""
    compiled = wordrules.compile_rules([("Test list", WordList.Kind.SUSPECT, rules)])
    return [text[match.start : match.end] for match in compiled.matches(text)]


# Matching ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You idiot.", ["idiot"]),
        ("IDIOT!", ["IDIOT"]),
        ("(Idiot)", ["Idiot"]),
        ("idiot's remark", ["idiot"]),
        ("An idiotic idea", []),  # Whole words only.
        ("Idiots all", []),
        ("mid-idiot-ish", ["idiot"]),  # Hyphens separate words.
        ("you_idiot_", ["idiot"]),  # So do underscores.
    ],
)
def test_a_rule_matches_whole_words_whatever_the_case_and_punctuation(text, expected):
    assert found("idiot", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Idiöt", ["Idiöt"]),  # An accent on the reader's letter.
        ("Idio\u0308t", ["Idio\u0308t"]),  # The same accent as a combining mark.
        ("ÍDÌÔT", ["ÍDÌÔT"]),
        ("ｉｄｉｏｔ", ["ｉｄｉｏｔ"]),  # Full-width letters.
        ("𝐢𝐝𝐢𝐨𝐭", ["𝐢𝐝𝐢𝐨𝐭"]),  # Mathematical bold.
        ("id\u200biot", ["id\u200biot"]),  # A zero-width space inside.
        ("idi\u00adot", ["idi\u00adot"]),  # A soft hyphen inside.
        ("\u0456d\u0456\u043et", ["\u0456d\u0456\u043et"]),  # Cyrillic і and о among Latin.
        ("id\u03b9\u03bft", ["id\u03b9\u03bft"]),  # Greek ι and ο among Latin.
        ("1d10t", ["1d10t"]),  # Digits for letters, in a word with letters.
    ],
)
def test_accents_styles_invisible_characters_and_lookalikes_do_not_hide_a_word(text, expected):
    assert found("idiot", f"What an {text}!") == expected


def test_a_rule_with_accents_or_capitals_matches_the_plain_word_too():
    assert found("Café Crème", "cafe creme, CAFÉ CRÈME") == ["cafe creme", "CAFÉ CRÈME"]


def test_words_wholly_in_another_script_are_never_taken_for_latin_ones():
    """Russian "сор" (litter) is not the English "cop", though its letters look alike."""
    assert found("cop", "Убрали весь сор. A cop came.") == ["cop"]
    assert found("сор", "Убрали весь сор.") == ["сор"]


def test_numbers_are_left_alone():
    assert found("toe", "Room 703, t0e") == ["t0e"]
    assert found("io", "Chapter 10") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("idiot", ["idiot"]),
        ("idiotic", ["idiotic"]),
        ("IDIOTS!", ["IDIOTS"]),
        ("Idiötisch", ["Idiötisch"]),
        ("an idio", []),
        ("semi-idiotic", ["idiotic"]),
        ("myidiot", []),  # A prefix, not a part anywhere in the word.
    ],
)
def test_a_rule_ending_in_a_star_matches_words_that_begin_with_it(text, expected):
    assert found("idiot*", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("buy cheap pills now", ["buy cheap pills"]),
        ("Buy—cheap, PILLS", ["Buy—cheap, PILLS"]),
        ("buy\n  cheap\tpills", ["buy\n  cheap\tpills"]),
        ("buy cheap", []),
        ("buy very cheap pills", []),
    ],
)
def test_a_phrase_matches_its_words_in_order_whatever_lies_between_them(text, expected):
    assert found("buy cheap pills", text) == expected


def test_a_phrase_may_end_in_a_prefix():
    assert found("cheap pill*", "cheap pills and cheap pillows, cheap pi") == [
        "cheap pills",
        "cheap pillows",
    ]


def test_every_rule_that_matches_is_reported_with_its_list():
    compiled = wordrules.compile_rules(
        [
            ("Insults", WordList.Kind.REJECT, "idiot\nstupid idiot"),
            ("Watch", WordList.Kind.SUSPECT, "idiot*"),
        ]
    )

    matches = compiled.matches("You stupid idiot")

    assert sorted((m.rule.text, m.rule.list_name, m.rule.kind) for m in matches) == [
        ("idiot", "Insults", "reject"),
        ("idiot*", "Watch", "suspect"),
        ("stupid idiot", "Insults", "reject"),
    ]


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("*idiot", "a * may only end a rule"),
        ("id*ot", "a * may only end a rule"),
        ("!!!", "has no letters or digits"),
        ("one two three four five six seven", "longer than 6 words"),
    ],
)
def test_a_rule_that_cannot_match_as_written_is_refused(rule, problem):
    word_list = WordList(name="Bad", kind=WordList.Kind.REJECT, rules=f"fine\n{rule}")
    with pytest.raises(ValidationError, match=re.escape(problem)):
        word_list.full_clean()


def test_blank_lines_and_repeated_rules_are_ignored():
    assert wordrules.rules_of("idiot\n\n  Idiot \nmoron\n") == ["idiot", "moron"]


def test_overlapping_matches_are_marked_as_one_span():
    text = "You stupid idiot, really"
    compiled = wordrules.compile_rules([("L", "reject", "stupid idiot\nidiot")])
    matched = [m.as_json(text) for m in compiled.matches(text)]

    assert wordrules.marked_spans(text, matched) == [
        ("You ", False),
        ("stupid idiot", True),
        (", really", False),
    ]


# What becomes of the comment --------------------------------------------------------------------


def make_list(kind, rules, name=None):
    return WordList.objects.create(name=name or f"{kind} words", kind=kind, rules=rules)


def test_a_banned_word_from_a_reject_list_rejects_the_comment_and_says_which(client, mailoutbox):
    make_list(WordList.Kind.REJECT, "idiot")
    make_user(is_staff=True, groups=["Moderators"], email="mod@example.com")

    response = post(client, make_story(), body="Only an Idiöt would say so.")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.REJECTED
    assert comment.moderated_by is None and comment.moderated_at is not None
    assert comment.matched_words == [
        {
            "field": "body",
            "rule": "idiot",
            "list": "reject words",
            "kind": "reject",
            "start": 8,
            "end": 13,
            "text": "Idiöt",
        }
    ]
    # The reader is told what every filed comment is told; no moderator is disturbed.
    assert "will appear once a moderator has approved it" in response.text
    assert mailoutbox == []


def test_a_banned_word_from_a_spam_list_files_it_as_spam_naming_the_word_and_list(client):
    make_list(WordList.Kind.SPAM, "cheap pill*", name="Pill sellers")

    post(client, make_story(), body="Get CHEAP PILLS here")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.spam_reason == "Uses “cheap pill*” from the banned list “Pill sellers”."


def test_the_name_a_comment_is_posted_under_is_checked_too(client, moderator_client):
    make_list(WordList.Kind.SUSPECT, "lawsuit")
    become_returning_commenter(client)

    post(client, make_story(), body="Fine words.", name="Lawsuit Larry")

    comment = Comment.objects.get(body="Fine words.")
    assert comment.status == Comment.Status.PENDING
    assert [(m["field"], m["text"]) for m in comment.matched_words] == [("name", "Lawsuit")]
    queue = moderator_client.get(reverse("admin:comments_comment_changelist")).text
    assert "In the name: <mark>Lawsuit</mark> — rule “lawsuit”" in queue
    assert "<mark>Fine" not in queue  # Its offsets are the name's, not the comment's.


def test_spam_wins_over_reject_when_both_lists_match(client):
    make_list(WordList.Kind.REJECT, "idiot")
    make_list(WordList.Kind.SPAM, "casino")

    post(client, make_story(), body="Idiot, visit my casino")

    assert Comment.objects.get().status == Comment.Status.SPAM


def test_a_suspect_word_holds_even_a_trusted_commenters_comment(client):
    make_list(WordList.Kind.SUSPECT, "lawsuit")
    become_returning_commenter(client)

    response = post(client, make_story(), body="Expect a LAWSUIT.")

    comment = Comment.objects.get(body="Expect a LAWSUIT.")
    assert comment.status == Comment.Status.PENDING
    assert [m["text"] for m in comment.matched_words] == ["LAWSUIT"]
    assert "will appear once a moderator has approved it" in response.text


def test_a_trusted_commenter_whose_words_match_nothing_is_still_published(client):
    make_list(WordList.Kind.SUSPECT, "lawsuit")
    become_returning_commenter(client)

    post(client, make_story(), body="A lawful argument.")

    comment = Comment.objects.get(body="A lawful argument.")
    assert comment.status == Comment.Status.APPROVED
    assert comment.matched_words == []


def test_a_changed_list_is_obeyed_at_the_next_comment(client):
    words = make_list(WordList.Kind.REJECT, "idiot")
    story = make_story()
    post(client, story, body="You moron.")
    words.rules = "idiot\nmoron"
    words.save()

    post(client, story, body="You moron, again.")
    words.delete()
    post(client, story, body="Moron, a third time.")

    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses == {
        "You moron.": "pending",
        "You moron, again.": "rejected",
        "Moron, a third time.": "pending",
    }


def test_the_rules_are_compiled_once_per_version_of_the_lists_not_per_comment(client, monkeypatch):
    make_list(WordList.Kind.SUSPECT, "lawsuit")
    compiled = []
    real = wordrules.compile_rules
    monkeypatch.setattr(wordrules, "compile_rules", lambda lists: compiled.append(1) or real(lists))
    story = make_story()

    for n in range(3):
        post(client, story, body=f"Comment {n} about a lawsuit.")

    assert len(compiled) <= 1
    assert Comment.objects.filter(status="pending").count() == 3


# The queue --------------------------------------------------------------------------------------


@pytest.fixture
def moderator(client):
    user = make_user(is_staff=True, groups=["Moderators"])
    client.force_login(user)
    return user


@pytest.fixture
def moderator_client():
    """A moderator's browser beside the reader's `client`."""
    browser = Client()
    browser.force_login(make_user(is_staff=True, groups=["Moderators"]))
    return browser


def test_the_queue_marks_the_exact_words_that_matched_escaped(client, moderator):
    body = "<b>Bold</b> idiot\nand an IDIOTIC <script>x</script>"
    comment = make_comment(
        body=body,
        matched_words=[
            {"rule": "idiot", "list": "Insults", "kind": "suspect", "start": 12, "end": 17},
            {"rule": "idiot*", "list": "Watch <me>", "kind": "suspect", "start": 25, "end": 32},
        ],
    )

    queue = client.get(reverse("admin:comments_comment_changelist")).text
    page = client.get(reverse("admin:comments_comment_change", args=[comment.pk])).text

    marked = (
        "&lt;b&gt;Bold&lt;/b&gt; <mark>idiot</mark><br>and an <mark>IDIOTIC</mark> "
        "&lt;script&gt;x&lt;/script&gt;"
    )
    assert marked in queue
    assert "rule “idiot*” in Watch &lt;me&gt; (suspect: held for a moderator)" in queue
    assert "<script>x" not in queue
    assert "Words from the word lists" in page and "Watch &lt;me&gt;" in page


def test_a_queue_entry_with_garbled_offsets_still_shows_the_whole_comment(client, moderator):
    make_comment(body="Plain words", matched_words=[{"start": 5, "end": 999}, {"start": "x"}])

    queue = client.get(reverse("admin:comments_comment_changelist")).text

    assert "Plain words" in queue


def test_words_a_moderator_edited_away_are_no_longer_marked(client, moderator):
    match = {"rule": "idiot", "list": "L", "kind": "suspect", "start": 4, "end": 9}
    make_comment(body="You fool there", matched_words=[{**match, "text": "idiot"}])

    queue = client.get(reverse("admin:comments_comment_changelist")).text

    assert "You fool there" in queue and "<mark>fool" not in queue
    assert "<mark>idiot</mark> — rule “idiot”" in queue  # What it said when it was posted.


def test_moderators_keep_the_word_lists_in_the_admin(client, moderator):
    add = reverse("admin:comments_wordlist_add")
    assert client.get(add).status_code == 200

    refused = client.post(add, {"name": "Insults", "kind": "reject", "rules": "idiot\nid*ot"})
    saved = client.post(add, {"name": "Insults", "kind": "reject", "rules": "idiot\nmoron*"})

    assert refused.status_code == 200 and "a * may only end a rule" in refused.text
    assert saved.status_code == 302
    assert WordList.objects.get().rules == "idiot\nmoron*"
    listing = client.get(reverse("admin:comments_wordlist_changelist")).text
    assert "Insults" in listing
    change = client.get(reverse("admin:comments_wordlist_change", args=[WordList.objects.get().pk]))
    assert change.status_code == 200


def test_editors_and_writers_cannot_change_the_word_lists(client):
    client.force_login(make_user(is_staff=True, groups=["Editors", "Writers"]))

    assert client.get(reverse("admin:comments_wordlist_add")).status_code == 403


def test_thousands_of_rules_find_exactly_the_words_written():
    """Many rules sharing first words and prefixes: still only what the text holds."""
    rules = "\n".join(
        [f"word{n}" for n in range(2000)]
        + [f"buy word{n} now" for n in range(2000)]
        + [f"pill{n}*" for n in range(1000)]
    )

    assert found(rules, "Buy word7 now, word1999 and pill12x; buy word7 later, pill1") == [
        "Buy word7 now",
        "word7",
        "word1999",
        "pill12x",  # By pill1* ...
        "pill12x",  # ... and by pill12*.
        "word7",
        "pill1",
    ]
