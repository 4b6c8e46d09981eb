from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """Backups and restores: one archive holds the database, the media files and a manifest."""

    name = "plugins.backup"
    label = "backup"
    verbose_name = _("备份与恢复")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ()
