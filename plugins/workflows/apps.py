from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """Approval routed by the organisation tree, the pre-publish check, default workflows,
    notifications and the Chinese page states (审核流程)."""

    name = "plugins.workflows"
    label = "workflows"
    verbose_name = _("审核流程")
    #: What 设置 › 插件管理 says the plugin does.
    description = _("按组织树分派的审核流程、发布前检查、默认工作流、通知和中文页面状态。")
    default_auto_field = "django.db.models.BigAutoField"
    # Not cases or meetings: they attach their workflows through plugins.workflows.api.
    dependencies = ("orgs", "access")

    def ready(self):
        from . import notifications, publishing, typeworkflows

        notifications.connect()
        typeworkflows.install()
        publishing.install_publish_check()
        publishing.guard_approval()
