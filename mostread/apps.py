from django.apps import AppConfig


class MostReadConfig(AppConfig):
    """The "Most read" box: a beacon on the story page counts readings in the cache (counts.py),
    added to ArticleView in batches; the sidebar's box lists the most read stories.

    Above articles: it reads published stories and plugs into their pages through its
    template tags ({% most_read %} in the sidebar, {% most_read_beacon article %} on the story
    page); articles never imports it.
    """

    name = "mostread"
    verbose_name = "Most read"
