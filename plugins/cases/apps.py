from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Typical cases (典型案例): good practice written up for publicity and compilations."""

    name = "plugins.cases"
    label = "cases"
    verbose_name = _("典型案例")
    #: What 设置 › 插件管理 says the plugin does.
    description = _("典型案例：可供宣传和编入经验汇编的好做法，按区、街道、组织和标签查阅。")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs", "archive")
