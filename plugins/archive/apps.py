from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    """What the publicity plugins share: body blocks, source ids, the 未归属 section
    and the `import_archive` command that feeds every one of them."""

    name = "plugins.archive"
    label = "archive"
    verbose_name = _("档案")
    #: What 设置 › 插件管理 says the plugin does.
    description = _("宣传类插件共用的正文块、来源编号、“未归属”栏目和档案导入命令 import_archive。")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs",)

    def ready(self):
        # Fails at start-up on a Wagtail version whose internals the import was not
        # tested with (see wagtail_private), not halfway through someone's import.
        from . import wagtail_private  # noqa: F401
