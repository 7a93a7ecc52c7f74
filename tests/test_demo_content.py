"""The demo content files (demo/content/): a mistake in one stops load_demo with its name."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from demo import content

pytestmark = pytest.mark.django_db


@pytest.fixture
def content_copy(tmp_path, monkeypatch):
    """A copy of the demo content that a test may break, with two stories only."""
    for name in ("about.html", "authors.toml", "sections.toml", "moderation.toml"):
        (tmp_path / name).write_text((content.CONTENT / name).read_text())
    (tmp_path / "stories").mkdir()
    for path in sorted((content.CONTENT / "stories").glob("*.html"))[:2]:
        (tmp_path / "stories" / path.name).write_text(path.read_text())
    (tmp_path / "comments.toml").write_text("")
    monkeypatch.setattr(content, "CONTENT", tmp_path)
    return tmp_path


def test_a_story_file_without_its_header_is_named_and_nothing_is_loaded(content_copy):
    broken = sorted((content_copy / "stories").glob("*.html"))[1]
    broken.write_text(broken.read_text().removeprefix("+++\n"))

    with pytest.raises(CommandError, match=broken.name):
        call_command("load_demo", "--no-images", stdout=StringIO())

    assert not Article.objects.exists()


def test_a_typo_in_a_header_is_named(content_copy):
    broken = min((content_copy / "stories").glob("*.html"))
    broken.write_text(broken.read_text().replace("hour = ", "hour == ", 1))

    with pytest.raises(CommandError, match=broken.name):
        call_command("load_demo", "--no-images", stdout=StringIO())


def test_comments_for_a_story_that_does_not_exist_are_not_lost_silently(content_copy):
    (content_copy / "comments.toml").write_text(
        '[[no-such-story]]\nname = "A"\nemail = "a@example.com"\napproved = true\nbody = "Hi"\n'
    )

    with pytest.raises(CommandError, match="no-such-story"):
        call_command("load_demo", "--no-images", stdout=StringIO())


def test_a_story_in_its_own_file_is_loaded_with_its_comments(content_copy):
    (content_copy / "stories" / "03-a-new-story.html").write_text(
        "+++\n"
        'title = "A new story"\ncategory = "world"\nauthor = "asel.nurlanova"\nbyline = ""\n'
        'tags = ["Test"]\nstandfirst = "Short."\nstatus = "published"\ndays_ago = 1\n'
        "hour = 9\nfeatured = false\nallow_comments = true\n"
        '[image]\nalt = "Abstract illustration"\ncaption = ""\ncredit = ""\n'
        "+++\n<p>Body &amp; more.</p>\n"
    )
    (content_copy / "comments.toml").write_text(
        '[[a-new-story]]\nname = "Ann"\nemail = "ann@example.com"\napproved = false\n'
        'body = """\nFirst line.\n\nSecond."""\n'
    )

    call_command("load_demo", "--no-images", stdout=StringIO())

    story = Article.objects.get(slug="a-new-story")
    assert story.body == "<p>Body &amp; more.</p>"
    comment = story.comments.get()
    assert (comment.name, comment.body) == ("Ann", "First line.\n\nSecond.")
    assert Article.objects.count() == 3


def test_a_story_file_named_without_its_number_is_named(content_copy):
    story = min((content_copy / "stories").glob("*.html"))
    misnamed = story.with_name(story.name.split("-", 1)[1])
    story.rename(misnamed)

    with pytest.raises(CommandError, match=misnamed.name):
        call_command("load_demo", "--no-images", stdout=StringIO())
