from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    """Activity records (区域化党建活动记录) of organisations and resident units."""

    name = "plugins.activities"
    label = "activities"
    verbose_name = _("活动记录")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs", "archive")
