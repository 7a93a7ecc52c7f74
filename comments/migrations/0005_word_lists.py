"""Word lists (banned and suspect words), what they found in each comment, and the Moderators'
right to edit them."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant_word_lists(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now to grant them.
    create_permissions(global_apps.get_app_config("comments"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments", content_type__model="wordlist"
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0004_wordpress_id'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='comment',
            name='matched_words',
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.CreateModel(
            name='WordList',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True)),
                ('kind', models.CharField(choices=[('reject', 'Banned: the comment is rejected'), ('spam', 'Banned: the comment is filed as spam'), ('suspect', 'Suspect: the comment waits for a moderator')], help_text='What becomes of a comment that uses one of these words. A suspect word holds the comment in the queue even from a trusted commenter or on an open story.', max_length=16)),
                ('rules', models.TextField(blank=True, help_text='One a line. Whole words match whatever their case and accents (idiot matches Idiöt and IDIOT, not idiotic); end a line with * to match words that begin with it (idiot* matches idiotic). A phrase is up to 6 words; punctuation between words does not matter.', verbose_name='words and phrases')),
                ('changed_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'word list',
                'ordering': ['name'],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['reject', 'spam', 'suspect'])), name='wordlist_kind_valid')],
            },
        ),
        migrations.RunPython(grant_word_lists, migrations.RunPython.noop),
    ]
