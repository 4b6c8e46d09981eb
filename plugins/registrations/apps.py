from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    """Public check-in forms (报到登记): unit survey, unit Party organisation check-in and
    in-service Party members' check-in (双报到), moderated and exported in the admin."""

    name = "plugins.registrations"
    label = "registrations"
    verbose_name = _("报到登记")
    #: What 设置 › 插件管理 says the plugin does.
    description = _(
        "报到登记：单位摸排、单位党组织报到和在职党员双报到三张公开表单，审核后导出 Excel。"
    )
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs", "access")
    url_includes = (("baodao/", "plugins.registrations.urls"),)
