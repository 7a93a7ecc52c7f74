from django.apps import AppConfig


class RolesConfig(AppConfig):
    """Newsroom roles (assign_role): the groups of both the articles and the comments apps.

    Each app's own migrations create its groups (Writers and Editors, Moderators); this app
    only puts people in them, so it is the one place that knows all three.
    """

    name = "roles"
    verbose_name = "Roles"
