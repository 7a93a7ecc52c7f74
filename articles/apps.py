from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from pagecache.generations import register_common_tags, register_expiry

        from . import cache_tags, converters, furniture, signals  # noqa: F401  (signals registers the receivers)

        # <yyyy>, <dd>, <uslug>: articles' addresses and syndication's feeds beside them.
        converters.register()

        # Pages change when a scheduled story falls due, with no save to announce it.
        register_expiry(furniture.start_generation)
        # Read by "Most read" on nearly every page, and by search: with the generation.
        register_common_tags(cache_tags.ANY_STORY)
