from django.apps import AppConfig


class TransferConfig(AppConfig):
    """The whole site out as JSON Lines and back (export_site, import_site).

    Top floor: it reads and writes both the articles and the comments apps.
    """

    name = "transfer"
    verbose_name = "Site transfer"
