"""BodyImage, moved here from articles (articles 0012 made its table, articles 0015 let it go):
the table and its rows are already there, so this migration only tells Django where the model
now lives, and carries the model's content type (with its permissions) over with it."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, old="articles", new="images"):
    # On a fresh database there is none yet (post_migrate makes it); never make a duplicate.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="bodyimage").exists():
        ContentType.objects.filter(app_label=old, model="bodyimage").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="images", new="articles")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0015_bodyimage_to_images"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BodyImage",
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
                        (
                            "image",
                            models.ImageField(
                                db_index=True,
                                height_field="height",
                                max_length=255,
                                upload_to="body/%Y/%m/",
                                width_field="width",
                            ),
                        ),
                        ("width", models.PositiveIntegerField(editable=False)),
                        ("height", models.PositiveIntegerField(editable=False)),
                        (
                            "alt",
                            models.CharField(
                                blank=True,
                                help_text="What the image shows, for readers who cannot see it; empty if decorative.",
                                max_length=300,
                                verbose_name="alt text",
                            ),
                        ),
                        ("source", models.CharField(blank=True, db_index=True, max_length=500)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "articles_bodyimage",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
