from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    """The organisation tree: one page type per level, committees and their rules."""

    name = "plugins.orgs"
    label = "orgs"
    verbose_name = _("组织架构")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ()
