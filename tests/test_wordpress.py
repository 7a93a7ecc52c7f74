"""import_wordpress: a hand-written WordPress export brought over field by field, re-runs,
old addresses, and files that must be refused."""

import io
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from PIL import Image
from taggit.models import Tag

from articles.models import Article, Author, Category, Redirect
from comments.models import Comment
from wordpress.content import autop, clean_content

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"
EXPORT = FIXTURES / "export.xml"
LONG_SLUG = ("a-very-long-headline-" * 10)[:199] + "z"


@pytest.fixture
def uploads(tmp_path):
    """WordPress's wp-content/uploads with the two pictures the export uses (not missing.jpg)."""
    folder = tmp_path / "uploads"
    (folder / "2024" / "03").mkdir(parents=True)
    for name, size in (("photo.jpg", (640, 360)), ("second.jpg", (320, 200))):
        Image.new("RGB", size, (200, 40, 40)).save(folder / "2024" / "03" / name, "JPEG")
    return folder


def run_import(*args, path=EXPORT):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_wordpress", str(path), *args, stdout=out, stderr=err, verbosity=1)
    return out.getvalue(), err.getvalue()


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def test_authors_become_users_without_passwords_and_with_author_profiles(uploads):
    run_import("--media-dir", str(uploads))
    ivan = get_user_model().objects.get(username="ivan")
    assert (ivan.email, ivan.first_name, ivan.last_name) == ("ivan@example.com", "Иван", "Петров")
    assert not ivan.has_usable_password()
    assert not ivan.is_staff
    assert ivan.author_profile.name == "Иван Петров"
    assert ivan.author_profile.slug == "ivan"  # Cyrillic names make no ASCII slug.
    assert Author.objects.get(user__username="jane").slug == "jane-doe"


def test_categories_are_flattened_and_tags_kept():
    run_import()
    europe = Category.objects.get(slug="europe")
    assert europe.name == "Europe & Caucasus"
    assert Category.objects.get(slug="news").description == "Everything that happened."
    # Nested categories (news > world > europe) each become a section of their own.
    assert {"news", "world", "europe", "uncategorized"} <= set(
        Category.objects.values_list("slug", flat=True)
    )
    assert set(Tag.objects.values_list("name", flat=True)) >= {"Elections", "Économie"}


def test_a_published_post_keeps_every_field(uploads):
    run_import("--media-dir", str(uploads))
    article = Article.objects.get(wordpress_id=10)
    assert article.title == "Élections à Tbilissi: “a close race”"
    assert article.slug == "elections-tbilisi"
    assert article.status == Article.Status.PUBLISHED and article.is_public
    # The _gmt dates: 16:30 in Tbilisi was 12:30 UTC.
    assert article.published_at == utc(2024, 3, 4, 12, 30)
    assert article.updated_at == utc(2024, 3, 5, 8, 0)
    assert article.created_at == utc(2024, 3, 4, 12, 30)
    assert article.standfirst == "Georgia votes in a tight race & the result is close."
    assert article.category.slug == "europe"
    # Its second category becomes a tag, so it is not lost.
    assert set(article.tags.names()) == {"Économie", "Elections", "News"}
    assert article.author.username == "ivan"
    assert article.credited_authors == [Author.objects.get(user__username="ivan")]
    assert article.comment_mode == "default"
    assert article.get_absolute_url() == "/2024/03/04/elections-tbilisi/"


def test_post_content_loses_blocks_and_gains_html_for_shortcodes(uploads):
    run_import("--media-dir", str(uploads))
    body = Article.objects.get(wordpress_id=10).body
    assert "wp:" not in body and "<!--" not in body
    assert "<p>Voters in Tbilisi — and in Kutaisi — went to the polls on Sunday.</p>" in body
    # [caption] → a figure with its caption (the image now ours: tests/test_body_images.py).
    assert (
        'alt="A queue outside a polling station" width="640" height="360"></a>'
        "<figcaption>Queues formed <em>early</em>.</figcaption></figure>"
    ) in body
    # The CDATA section WordPress splits around "]]>" reads back whole.
    assert "a[1]]&gt; and nothing else." in body
    # [embed] → a link; [gallery ids="50,51"] → both images, though they come later in the file.
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in body
    assert "[gallery" not in body
    assert body.count("<figure>") == 3
    assert "/second.jpg" in body
    # Sanitised like any rich text.
    assert "<script" not in body and "onclick" not in body
    assert "<p>Clean me.</p>" in body


def test_featured_image_comes_from_the_media_dir(uploads):
    run_import("--media-dir", str(uploads))
    article = Article.objects.get(wordpress_id=10)
    assert article.featured_image.name.startswith("articles/")
    assert (article.featured_image_width, article.featured_image_height) == (640, 360)
    assert article.featured_image_alt == "A queue outside a polling station"
    assert article.featured_image_caption == "Voters queue in Tbilisi."


def test_a_missing_featured_image_is_noted_not_fatal(uploads):
    out, _ = run_import("--media-dir", str(uploads))
    article = Article.objects.get(wordpress_id=17)
    assert not article.featured_image
    assert "featured image missing, 2024/03/missing.jpg is not in --media-dir" in out
    assert "1 featured images missing" in out


def test_without_a_media_dir_featured_images_are_noted_missing():
    out, _ = run_import()
    assert not Article.objects.get(wordpress_id=10).featured_image
    assert "2024/03/photo.jpg (no --media-dir given)" in out


def test_statuses_map_to_published_scheduled_and_draft():
    out, _ = run_import()
    scheduled = Article.objects.get(wordpress_id=11)
    assert scheduled.is_scheduled
    assert scheduled.published_at == utc(2099, 1, 1, 7, 0)
    assert scheduled.comment_mode == "closed"  # comment_status closed
    draft = Article.objects.get(wordpress_id=12)
    assert draft.status == Article.Status.DRAFT
    assert Article.objects.get(wordpress_id=13).status == Article.Status.DRAFT  # pending
    # Private and trashed posts and pages are left out, and counted.
    assert not Article.objects.filter(wordpress_id__in=[14, 15, 16]).exists()
    assert "1 private posts" in out and "1 trash posts" in out and "1 pages" in out


def test_a_draft_without_a_slug_gets_one_and_classic_paragraphs_are_kept():
    run_import()
    draft = Article.objects.get(wordpress_id=12)
    assert draft.slug == "notes-for-a-draft"
    assert draft.body == "<p>First paragraph,<br>\nwith a line break.</p>\n<p>Second paragraph.</p>"
    # No category in WordPress: WordPress's own default section.
    assert draft.category.slug == "uncategorized"


def test_slugs_are_kept_up_to_200_characters_in_any_script():
    run_import()
    long = Article.objects.get(wordpress_id=17)
    assert long.slug == LONG_SLUG and len(long.slug) == 200
    assert long.author is None  # Its dc:creator is not among the export's authors.
    cyrillic = Article.objects.get(wordpress_id=18)
    assert cyrillic.title == "Новости дня"
    # The percent-encoded WordPress slug, decoded: the story keeps its address (below).
    assert cyrillic.slug == "новости-дня"


def test_comments_keep_status_author_address_date_and_threads():
    out, _ = run_import()
    first = Comment.objects.get(wordpress_id=101)
    assert first.article.wordpress_id == 10
    assert first.status == Comment.Status.APPROVED
    assert (first.name, first.email, first.ip_address) == (
        "Nino",
        "nino@example.com",
        "203.0.113.7",
    )
    assert first.created_at == utc(2024, 3, 4, 14, 0)
    assert first.body == "Გამარჯობა! Great coverage & photos.\n\nSecond paragraph."
    assert first.parent is None
    reply = Comment.objects.get(wordpress_id=102)
    assert reply.status == Comment.Status.PENDING
    assert reply.parent == first
    assert reply.ip_address == "2001:db8::1"
    # A reply to a reply joins its thread: replies here are one level deep.
    deeper = Comment.objects.get(wordpress_id=103)
    assert deeper.parent == first
    assert deeper.ip_address is None  # "not-an-address" in the export
    assert Comment.objects.get(wordpress_id=104).status == Comment.Status.SPAM
    # Trashed comments and pingbacks are left out, and counted.
    assert not Comment.objects.filter(wordpress_id__in=[105, 106]).exists()
    assert "1 trash comments" in out and "1 pingbacks" in out


def test_summary_counts_everything_and_gives_each_failure_its_reason(uploads):
    out, err = run_import("--media-dir", str(uploads))
    assert "Imported: 2 authors (2 new, 0 updated), 4 categories (4 new, 0 updated)" in out
    assert (
        "3 tags (3 new, 0 updated), 6 posts (6 new, 0 updated), 4 comments (4 new, 0 updated)"
        in out
    )
    assert "1 featured images (1 new, 0 updated)" in out
    # The author without a login name fails alone; the import goes on.
    assert "Failed: author '': it has no login name" in err
    assert "Failed: 1." in out


def test_a_rerun_updates_rather_than_duplicates(uploads):
    run_import("--media-dir", str(uploads))
    article = Article.objects.get(wordpress_id=10)
    image = article.featured_image.name
    Article.objects.filter(pk=article.pk).update(title="Changed here")
    Comment.objects.filter(wordpress_id=101).update(body="Changed here")
    counts = (Article.objects.count(), Comment.objects.count(), Redirect.objects.count())

    out, _ = run_import("--media-dir", str(uploads))
    assert (Article.objects.count(), Comment.objects.count(), Redirect.objects.count()) == counts
    article.refresh_from_db()
    assert article.title == "Élections à Tbilissi: “a close race”"
    assert article.featured_image.name == image
    assert Comment.objects.get(wordpress_id=101).body.startswith("Გამარჯობა!")
    assert "6 posts (0 new, 6 updated)" in out
    assert get_user_model().objects.filter(username="ivan").count() == 1


def test_dry_run_reads_everything_and_saves_nothing(uploads):
    out, _ = run_import("--media-dir", str(uploads), "--dry-run")
    assert "Would import:" in out and "6 posts (6 new" in out
    assert not Article.objects.exists()
    assert not Comment.objects.exists()
    assert not get_user_model().objects.filter(username="ivan").exists()


def test_one_bad_post_is_reported_and_the_rest_imported(monkeypatch):
    from wordpress import importer

    def clean_or_fail(content):
        if "Pending." in content:
            raise RuntimeError("the cleaner choked")
        return clean_content(content)

    monkeypatch.setattr(importer, "clean_content", clean_or_fail)
    out, err = run_import()
    assert "Failed: post 13 “Waiting for review”: RuntimeError: the cleaner choked" in err
    assert not Article.objects.filter(wordpress_id=13).exists()
    assert Article.objects.filter(wordpress_id__in=[10, 11, 12, 17, 18]).count() == 5
    assert "Failed: 2." in out


def test_old_addresses_redirect_permanently_to_public_stories(client):
    run_import()
    cyrillic = Article.objects.get(wordpress_id=18)
    old_address = "/2024/03/26/%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8-%d0%b4%d0%bd%d1%8f/"
    # A story with a slug in another script is at its old address still, not redirected.
    assert cyrillic.get_absolute_url() == old_address.upper()  # the same, in capital hex
    assert client.get(old_address).status_code == 200
    # A numeric permalink, with or without its final slash.
    long = Article.objects.get(wordpress_id=17)
    for path in ("/archives/17", "/archives/17/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (301, long.get_absolute_url())
    # WordPress's short link.
    response = client.get("/?p=10")
    assert response.status_code == 301
    assert response["Location"] == "/2024/03/04/elections-tbilisi/"
    assert client.get(response["Location"]).status_code == 200


def test_old_addresses_of_drafts_scheduled_and_unknown_posts_do_not_redirect(client):
    run_import()
    assert client.get("/?p=12").status_code == 200  # a draft: the front page as usual
    assert client.get("/?p=11").status_code == 200  # scheduled
    assert client.get("/?p=999").status_code == 200
    assert client.get("/?p=abc").status_code == 200
    assert client.get("/2099/01/01/budget-day/").status_code == 404
    assert client.get("/no/such/page/").status_code == 404
    # `p` elsewhere is not a WordPress short link.
    assert client.get("/search/?p=10").status_code == 200


@pytest.mark.parametrize(
    "fixture, detail",
    [("billion_laughs.xml", ""), ("external_entity.xml", "file:///etc/passwd")],
)
def test_hostile_xml_is_refused_and_nothing_imported(fixture, detail):
    with pytest.raises(CommandError) as raised:
        run_import(path=FIXTURES / fixture)
    message = str(raised.value)
    assert f"{fixture} refused: the file declares XML entities" in message
    assert detail in message
    assert "Nothing was imported." in message
    assert not Article.objects.exists()


def test_a_file_cut_off_half_way_imports_nothing(tmp_path):
    cut = tmp_path / "cut.xml"
    data = EXPORT.read_bytes()
    cut.write_bytes(data[: data.index(b"<wp:post_id>13</wp:post_id>")])
    with pytest.raises(CommandError, match=r"cut.xml cannot be imported: .*not well-formed"):
        run_import(path=cut)
    assert not Article.objects.exists()
    assert not Category.objects.filter(slug="europe").exists()


def test_a_file_that_is_not_a_wordpress_export_is_refused(tmp_path):
    page = tmp_path / "page.xml"
    page.write_text("<html><body>Hello</body></html>")
    with pytest.raises(CommandError, match="not a WordPress export: its root element is <html>"):
        run_import(path=page)
    with pytest.raises(CommandError, match="no such file"):
        run_import(path=tmp_path / "nothing.xml")


def test_a_featured_image_outside_the_media_dir_is_not_read(tmp_path, uploads):
    export = tmp_path / "escape.xml"
    export.write_text(
        EXPORT.read_text(encoding="utf-8").replace("2024/03/photo.jpg]]", "../secret.jpg]]"),
        encoding="utf-8",
    )
    shutil.copy(uploads / "2024" / "03" / "photo.jpg", tmp_path / "secret.jpg")
    out, _ = run_import("--media-dir", str(uploads), path=export)
    assert not Article.objects.get(wordpress_id=10).featured_image
    assert "../secret.jpg is outside --media-dir" in out


@pytest.mark.parametrize(
    "content, expected",
    [
        (
            '[caption id="x" caption="Said &amp; done"]<img src="/a.jpg" alt="A">[/caption]',
            '<figure><img src="/a.jpg" alt="A"><figcaption>Said &amp; done</figcaption></figure>',
        ),
        ('[video mp4="https://v.example.com/a.mp4"][/video]', 'href="https://v.example.com/a.mp4"'),
        ("[youtube=https://youtu.be/abc]", 'href="https://youtu.be/abc"'),
        ("A fact [sic] stays.", "<p>A fact [sic] stays.</p>"),
        ("<!-- wp:separator --><hr><!-- /wp:separator -->", "<hr>"),
    ],
)
def test_clean_content_shortcodes(content, expected):
    assert expected in clean_content(content)


def test_autop_leaves_block_html_alone():
    assert autop("<ul>\n<li>a</li>\n</ul>\n\nText\nmore") == (
        "<ul>\n<li>a</li>\n</ul>\n<p>Text<br>\nmore</p>"
    )


def test_verbosity_0_prints_only_failures():
    out, err = io.StringIO(), io.StringIO()
    call_command("import_wordpress", str(EXPORT), stdout=out, stderr=err, verbosity=0)
    assert out.getvalue() == ""
    assert err.getvalue() == "Failed: author '': it has no login name\n"
    assert Article.objects.count() == 6
