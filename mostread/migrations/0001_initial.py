"""ArticleView, moved here from articles (articles 0005 made its table, articles 0016 let it
go): the table and its rows are already there, so this migration only tells Django where the
model now lives, and carries the model's content type (with its permissions) over with it."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, old="articles", new="mostread"):
    # On a fresh database there is none yet (post_migrate makes it); never make a duplicate.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="articleview").exists():
        ContentType.objects.filter(app_label=old, model="articleview").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="mostread", new="articles")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0017_articleview_to_mostread"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ArticleView",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("hour", models.DateTimeField()),
                        ("count", models.PositiveIntegerField(default=0)),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="views",
                                to="articles.article",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "articles_articleview",
                        "indexes": [
                            models.Index(fields=["hour", "article"], name="article_view_hour_idx")
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("article", "hour"), name="article_view_unique_hour"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
