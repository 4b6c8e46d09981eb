from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Chinese archive search: segmentation, the index, the query API and its views."""

    name = "search"
    label = "search"
    verbose_name = _("档案检索")
    default_auto_field = "django.db.models.BigAutoField"
    # Not under plugins/, but set up like one (default synonyms) after orgs.
    is_gongjian_plugin = True
    dependencies = ("orgs",)

    def ready(self):
        from . import signals

        signals.connect()
