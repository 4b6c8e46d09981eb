from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    """What the publicity plugins share: body blocks, source ids, the 未归属 section
    and the `import_archive` command that feeds every one of them."""

    name = "plugins.archive"
    label = "archive"
    verbose_name = _("档案")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs",)
