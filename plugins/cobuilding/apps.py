from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CobuildingConfig(AppConfig):
    """The three lists (需求/资源/项目) with two-way claiming, agreements and commitments."""

    name = "plugins.cobuilding"
    label = "cobuilding"
    verbose_name = _("共建清单")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs", "access")

    def ready(self):
        from gongjian_site.pagecache import purge_when_changed

        from .models import Need, ProgressUpdate, Project

        # Open needs and projects show in the home page's 三个清单 section (the
        # community's page and every page above it are cleared).
        purge_when_changed(Need, lambda need: [need.community])
        purge_when_changed(Project, lambda project: [project.community])
        purge_when_changed(ProgressUpdate, lambda update: [update.project.community])
