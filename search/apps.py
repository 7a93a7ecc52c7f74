from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The search page: full text on PostgreSQL, a word match elsewhere (views.py).

    Above articles: it reads published stories and their `search_vector`, which articles keeps
    current with the story row (articles/signals.py, ArticleQuerySet.update_search_vector());
    articles never imports search.
    """

    name = "search"
    verbose_name = "Search"

    def ready(self):
        from articles.fragments import register_sources

        # The search form and its filters' widgets are drawn once (views.search_form_html).
        register_sources("search/views.py")
