from django.db import migrations, models
from django.utils import timezone


def keep_one_lead(apps, schema_editor):
    """Several stories carried the lead mark; the front page showed the newest published one.
    Keep that one marked (else the newest marked story) so unmarking it brings back no other."""
    Article = apps.get_model("articles", "Article")
    marked = Article.objects.using(schema_editor.connection.alias).filter(is_featured=True)
    published = marked.filter(status="published", published_at__lte=timezone.now())
    lead = (published if published.exists() else marked).order_by("-published_at", "-id").first()
    if lead is not None:
        marked.exclude(pk=lead.pk).update(is_featured=False)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_section_order_index"),
    ]

    operations = [
        migrations.RunPython(keep_one_lead, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="article",
            name="is_featured",
            field=models.BooleanField(
                default=False,
                help_text="The story at the top of the front page. One story leads at a time.",
                verbose_name="lead story",
            ),
        ),
        migrations.AlterField(
            model_name="historicalarticle",
            name="is_featured",
            field=models.BooleanField(
                default=False,
                help_text="The story at the top of the front page. One story leads at a time.",
                verbose_name="lead story",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_featured", True)),
                fields=("is_featured",),
                name="article_one_lead",
            ),
        ),
    ]
