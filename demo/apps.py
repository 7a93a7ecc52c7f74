from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo site (load_demo): stories, authors and readers' comments, read from data files.

    Top floor: it fills both the articles and the comments apps, and neither knows it exists.
    """

    name = "demo"
    verbose_name = "Demo content"
