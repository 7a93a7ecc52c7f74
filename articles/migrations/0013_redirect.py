"""One redirect table: SlugRedirect (old slug of a renamed story) and LegacyRedirect (old
address on the site a story was imported from) become Redirect rows of old path → story.

Copied, not moved: 0014 deletes the old tables once the rows are here. Each slug becomes the
address it had at the story's date (the redirect fallback also finds an old slug at any
date, for stories whose date moved since); each imported story gets a row for WordPress's
short link /?p=ID, which the fallback used to find by `wordpress_id`.
"""

import django.db.models.deletion
from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.utils import timezone


def old_slug_path(article, slug):
    """The story's address with `slug`, decoded as request.path has it (articles:detail as
    it is when this migration is written: not reversed, so that a later change of the URLs
    cannot change what this migration did)."""
    return f"{timezone.localdate(article.published_at):/%Y/%m/%d/}{slug}/"


def copy_redirects(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Redirect = apps.get_model("articles", "Redirect")
    SlugRedirect = apps.get_model("articles", "SlugRedirect")
    LegacyRedirect = apps.get_model("articles", "LegacyRedirect")
    # Old path → (article id, when it was left if known); later sources win on a clash.
    rows = {}
    imported = Article.objects.exclude(wordpress_id=None).values_list("pk", "wordpress_id")
    for article_id, wordpress_id in imported.iterator():
        rows[f"/?p={wordpress_id}"] = (article_id, None)
    for legacy in LegacyRedirect.objects.iterator():
        rows[legacy.old_path] = (legacy.article_id, None)
    # A rename on this site is newer than the import: its row wins.
    for moved in SlugRedirect.objects.select_related("article").order_by("created_at"):
        rows[old_slug_path(moved.article, moved.old_slug)] = (moved.article_id, moved.created_at)
    Redirect.objects.bulk_create(
        [Redirect(old_path=path, article_id=pk) for path, (pk, _) in rows.items()],
        batch_size=500,
    )
    # auto_now_add set every created_at to now: put back when each slug was left.
    for path, (_, created_at) in rows.items():
        if created_at is not None:
            Redirect.objects.filter(old_path=path).update(created_at=created_at)


def copy_back(apps, schema_editor):
    """Backwards: every address into LegacyRedirect, which answers it exactly as before (short
    links need no row there)."""
    Redirect = apps.get_model("articles", "Redirect")
    LegacyRedirect = apps.get_model("articles", "LegacyRedirect")
    LegacyRedirect.objects.bulk_create(
        [
            LegacyRedirect(old_path=row.old_path, article_id=row.article_id)
            for row in Redirect.objects.exclude(old_path__startswith="/?").iterator()
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


def grant_redirects(apps, schema_editor):
    """Editors manage redirects, as they managed SlugRedirect (0004_roles)."""
    create_permissions(global_apps.get_app_config("articles"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", content_type__model="redirect"
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_body_images"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Redirect",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "old_path",
                    models.CharField(
                        help_text=(
                            "The old address without the domain, e.g. /2024/03/04/old-name/ "
                            "or /?p=123."
                        ),
                        max_length=500,
                        unique=True,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="redirects",
                        to="articles.article",
                    ),
                ),
            ],
            options={"ordering": ["old_path"]},
        ),
        migrations.RunPython(copy_redirects, copy_back),
        migrations.RunPython(grant_redirects, migrations.RunPython.noop),
    ]
