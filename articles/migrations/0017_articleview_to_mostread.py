"""ArticleView moves to the mostread app (mostread 0001), which sits above articles: this app
forgets it, and its table stays as it is, rows and name (`articles_articleview`, the model's
db_table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_comment_modes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ArticleView")],
            database_operations=[],
        ),
    ]
