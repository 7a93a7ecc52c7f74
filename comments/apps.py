from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        from articles.fragments import register_sources

        from . import signals  # noqa: F401  (connects the page cache's receivers)

        # The comment form every reader shares is drawn once (templatetags/comment_tags.py).
        register_sources("comments/forms.py")
