"""The two old redirect tables, now copied into Redirect (0013), are removed."""

from django.db import migrations


def forget_content_types(apps, schema_editor):
    # With them go their permissions, so the Editors group lists none that mean nothing.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(
        app_label="articles", model__in=["slugredirect", "legacyredirect"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_redirect"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forget_content_types, migrations.RunPython.noop),
        migrations.DeleteModel(name="SlugRedirect"),
        migrations.DeleteModel(name="LegacyRedirect"),
    ]
