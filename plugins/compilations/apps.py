from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompilationsConfig(AppConfig):
    """Experience compilations (经验汇编): assembly from cases, Word/PDF export, Word import."""

    name = "plugins.compilations"
    label = "compilations"
    verbose_name = _("经验汇编")
    #: What 设置 › 插件管理 says the plugin does.
    description = _("经验汇编：从推荐案例组稿，导出 Word 和 PDF 印制，也可从旧 Word 文件导入。")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs", "archive", "cases")
