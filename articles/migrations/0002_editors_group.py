"""Create the Editors group, so every fresh database has it."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = {
    "articles": ["article", "category", "about"],
    "taggit": ["tag"],
}


def create_editors(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now to grant them.
    for app_label in EDITOR_PERMISSIONS:
        create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for app_label, models in EDITOR_PERMISSIONS.items():
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=models
            )
        )


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
