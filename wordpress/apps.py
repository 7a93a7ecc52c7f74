from django.apps import AppConfig


class WordpressConfig(AppConfig):
    """Moving a WordPress site in (import_wordpress): posts become stories, their comments
    comments, and their old addresses redirects.

    Top floor: it fills both the articles and the comments apps, and neither knows it exists.
    """

    name = "wordpress"
    verbose_name = "WordPress import"
