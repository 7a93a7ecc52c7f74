"""Editors run the newsletters: newsletters, issues and their story lists. Subscribers'
addresses (view_subscriber_email) are given to nobody by default: superusers have it, and a
superuser may grant it to whoever answers readers' data requests."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "view_newsletter",
    "add_newsletter",
    "change_newsletter",
    "view_issue",
    "change_issue",
    "view_issuestory",
    "change_issuestory",
]


def grant(apps, schema_editor):
    create_permissions(global_apps.get_app_config("newsletters"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="newsletters", codename__in=EDITOR_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="newsletters", codename__in=EDITOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_initial"),
        ("articles", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
