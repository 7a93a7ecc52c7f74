"""Roles: Writers (own drafts, submit for review) and Editors (everything, publish)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Writers": [
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "view_article"),
        ("articles", "view_category"),
        ("articles", "view_author"),
        ("taggit", "view_tag"),
    ],
    "Editors": [
        ("articles", "publish_article"),
        *[
            ("articles", f"{action}_{model}")
            for model in ("author", "correction", "byline", "slugredirect")
            for action in ("add", "change", "delete", "view")
        ],
    ],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now to grant them.
    for app_label in ("articles", "taggit"):
        create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Writers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_newsroom_workflow"),
        ("articles", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
