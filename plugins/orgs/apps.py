from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    """The organisation tree: one page type per level, committees and their rules."""

    name = "plugins.orgs"
    label = "orgs"
    verbose_name = _("组织架构")
    #: What 设置 › 插件管理 says the plugin does.
    description = _(
        "组织架构：市、区、街道、社区大党委、网格党支部、楼栋党群微家和驻区单位的页面及委员会组成。"
    )
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ()
