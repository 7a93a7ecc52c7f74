"""Create the Moderators group, so every fresh database has it."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = [
    ("comments", "view_comment"),
    ("comments", "change_comment"),
    ("articles", "view_article"),
]


def create_moderators(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now to grant them.
    for app_label in {"comments", "articles"}:
        create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, codename in MODERATOR_PERMISSIONS:
        moderators.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_moderators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(create_moderators, remove_moderators)]
