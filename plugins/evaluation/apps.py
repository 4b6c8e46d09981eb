from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Year-end evaluation: 述职 and 测评, unit scores, monthly reports, awards, dashboards."""

    name = "plugins.evaluation"
    label = "evaluation"
    verbose_name = _("考核评价")
    #: What 设置 › 插件管理 says the plugin does.
    description = _("年终考核：兼职委员述职与测评、单位评分、月报、评选表彰和统计看板。")
    default_auto_field = "django.db.models.BigAutoField"
    # cobuilding, meetings and registrations are read when installed (sources.py,
    # metrics.py), never required.
    dependencies = ("orgs", "access", "activities")
    url_includes = (("evaluation/", "plugins.evaluation.urls"),)

    def ready(self):
        from gongjian_site.changes import shown_on

        from .models import Award

        # An honour shows on its organisation's page (organisation_awards).
        shown_on(Award, lambda award: [award.organisation])
