"""BodyImage moves to the images app (images 0001), which knows no story: this app forgets it,
and its table stays as it is, rows and name (`articles_bodyimage`, the model's db_table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_remove_old_redirects"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="BodyImage")],
            database_operations=[],
        ),
    ]
