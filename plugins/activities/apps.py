from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    """Activity records (区域化党建活动记录) of organisations and resident units."""

    name = "plugins.activities"
    label = "activities"
    verbose_name = _("活动记录")
    #: What 设置 › 插件管理 says the plugin does.
    description = _(
        "各级组织和驻区单位的区域化党建活动记录，按组织、年份、类型和参与单位查阅，并提供订阅。"
    )
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs", "archive")
    # Outside the page tree's paths, so no page slug can shadow it.
    url_includes = (("feeds/activities/", "plugins.activities.urls"),)

    def ready(self):
        from gongjian_site.changes import indexed_in

        from .models import ActivityKind, ActivityPage

        # The kind's name is searched with each activity (search/documents.py).
        indexed_in(ActivityKind, lambda kind: ActivityPage.objects.filter(kind=kind))
