from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompilationsConfig(AppConfig):
    """Experience compilations (经验汇编): assembly from cases, Word/PDF export, Word import."""

    name = "plugins.compilations"
    label = "compilations"
    verbose_name = _("经验汇编")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs", "archive", "cases")
