from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CobuildingConfig(AppConfig):
    """The three lists (需求/资源/项目) with two-way claiming, agreements and commitments."""

    name = "plugins.cobuilding"
    label = "cobuilding"
    verbose_name = _("共建清单")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs", "access")
