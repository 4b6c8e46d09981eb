from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Typical cases (典型案例): good practice written up for publicity and compilations."""

    name = "plugins.cases"
    label = "cases"
    verbose_name = _("典型案例")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs", "archive")
