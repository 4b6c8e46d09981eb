from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecycleBinConfig(AppConfig):
    """回收站: deleting a page in the admin moves it here; it can be restored or is purged."""

    name = "plugins.recyclebin"
    label = "recyclebin"
    verbose_name = _("回收站")
    #: What 设置 › 插件管理 says the plugin does.
    description = _("回收站：在后台删除的页面先移入这里，可恢复，到期后清除。")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ()
