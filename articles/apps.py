from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from pagecache.generations import register_expiry

        from . import furniture, signals  # noqa: F401  (registers the receivers)

        # Pages change when a scheduled story falls due, with no save to announce it.
        register_expiry(furniture.start_generation)
