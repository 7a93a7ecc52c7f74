from django.apps import AppConfig


class NewsdeskConfig(AppConfig):
    """The editors' side of stories: the admin of articles' models (admin.py) with its forms
    and prose editor (forms.py), versions compared word by word and restored (revisions.py),
    and the body-image upload the editor posts to (views.py).

    Above articles: it edits the stories articles defines, under articles' per-story rule
    (Article.can_be_changed_by, ArticleQuerySet.visible_to), and opens articles'
    signals.collected() around a save; articles never imports newsdesk. The models keep
    their label (articles.Article), so the admin's URL names and templates
    (templates/admin/articles/...) are articles'.
    """

    name = "newsdesk"
    verbose_name = "News desk"
