"""Each story gets a comment mode (open, pre-moderated, closed, or its section's), each
section a default one, in place of the story's "Allow comments" switch."""

from django.conf import settings
from django.db import migrations, models


def modes_from_switch(apps, schema_editor):
    """Allow comments ticked: the story follows its section (and so the site's default, "open"
    unless set otherwise): what it did before. Unticked: closed. Old versions too, so that
    restoring one brings back its comment setting."""
    for name in ("Article", "HistoricalArticle"):
        model = apps.get_model("articles", name)
        model.objects.filter(allow_comments=False).update(comment_mode="closed")


def switch_from_modes(apps, schema_editor):
    for name in ("Article", "HistoricalArticle"):
        model = apps.get_model("articles", name)
        model.objects.filter(comment_mode="closed").update(allow_comments=False)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0015_bodyimage_to_images'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='comment_mode',
            field=models.CharField(choices=[('default', 'As its section says'), ('open', 'Open: trusted commenters appear at once, the others wait'), ('premoderated', 'Pre-moderated: every comment waits for a moderator'), ('closed', 'Closed: no new comments')], default='default', help_text='Open: comments from trusted commenters appear at once, the others wait for a moderator. Pre-moderated: every comment waits. Comments still close by age.', max_length=16, verbose_name='comments'),
        ),
        migrations.AddField(
            model_name='category',
            name='comment_mode',
            field=models.CharField(choices=[('default', "As the site's default says"), ('open', 'Open: trusted commenters appear at once, the others wait'), ('premoderated', 'Pre-moderated: every comment waits for a moderator'), ('closed', 'Closed: no new comments')], default='default', help_text="How the section's stories take comments, unless a story says otherwise.", max_length=16, verbose_name='comments'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='comment_mode',
            field=models.CharField(choices=[('default', 'As its section says'), ('open', 'Open: trusted commenters appear at once, the others wait'), ('premoderated', 'Pre-moderated: every comment waits for a moderator'), ('closed', 'Closed: no new comments')], default='default', help_text='Open: comments from trusted commenters appear at once, the others wait for a moderator. Pre-moderated: every comment waits. Comments still close by age.', max_length=16, verbose_name='comments'),
        ),
        migrations.RunPython(modes_from_switch, switch_from_modes),
        migrations.RemoveField(
            model_name='article',
            name='allow_comments',
        ),
        migrations.RemoveField(
            model_name='historicalarticle',
            name='allow_comments',
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(('comment_mode__in', ['default', 'open', 'premoderated', 'closed'])), name='article_comment_mode_valid'),
        ),
        migrations.AddConstraint(
            model_name='category',
            constraint=models.CheckConstraint(condition=models.Q(('comment_mode__in', ['default', 'open', 'premoderated', 'closed'])), name='category_comment_mode_valid'),
        ),
    ]
