"""Joins between stories and their tags, by index, on PostgreSQL.

django-taggit's generic `object_id` is an integer column while story ids are bigint, so
PostgreSQL joins them on `object_id::bigint`, which taggit's own (content_type_id, object_id)
index cannot serve: tag pages, related stories and the sitemap scanned every tagged item. An
index on the very expression makes those joins index lookups. SQLite compares without a cast.
"""

from django.db import migrations

INDEX = (
    "CREATE INDEX IF NOT EXISTS taggeditem_article_idx ON taggit_taggeditem "
    "(content_type_id, (object_id::bigint), tag_id)"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS taggeditem_article_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_version_and_imports"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
