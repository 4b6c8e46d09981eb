from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """Backups and restores: one archive holds the database, the media files and a manifest."""

    name = "plugins.backup"
    label = "backup"
    verbose_name = _("备份与恢复")
    #: What 设置 › 插件管理 says the plugin does.
    description = _("备份与恢复：一个归档包含数据库、媒体文件和清单，恢复后自动升级到当前版本。")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ()
