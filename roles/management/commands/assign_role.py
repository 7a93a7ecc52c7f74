from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

ROLES = {"writer": "Writers", "editor": "Editors", "moderator": "Moderators"}


class Command(BaseCommand):
    help = (
        "Give a user a newsroom role (writer, editor or moderator): adds them to the group and "
        "lets them sign in to the admin. --remove takes the role away."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=sorted(ROLES))
        parser.add_argument("--remove", action="store_true", help="Take the role away instead.")

    def handle(self, username, role, remove, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(
                f"No user “{username}”. Create one first: python manage.py createsuperuser, "
                "or add a user in the admin."
            ) from None
        group = Group.objects.get(name=ROLES[role])
        if remove:
            user.groups.remove(group)
            self.stdout.write(f"{username} is no longer in {group.name}.")
            return
        user.groups.add(group)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.stdout.write(self.style.SUCCESS(f"{username} is now in {group.name}."))
