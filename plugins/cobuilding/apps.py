from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CobuildingConfig(AppConfig):
    """The three lists (需求/资源/项目) with two-way claiming, agreements and commitments."""

    name = "plugins.cobuilding"
    label = "cobuilding"
    verbose_name = _("共建清单")
    #: What 设置 › 插件管理 says the plugin does.
    description = _("需求、资源、项目三个清单的双向认领，共建协议与承诺、评诺，以及社区公示栏。")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs", "access")
    # Each community's 三个清单 公示 board and residents' needs form.
    url_includes = (("gongshi/", "plugins.cobuilding.urls"),)

    def ready(self):
        from gongjian_site.changes import shown_on

        from .models import Need, ProgressUpdate, Project

        # Open needs and projects show in the home page's 三个清单 section (the
        # community's page and every page above it are cleared).
        shown_on(Need, lambda need: [need.community])
        shown_on(Project, lambda project: [project.community])
        shown_on(ProgressUpdate, lambda update: [update.project.community])
