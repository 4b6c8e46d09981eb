from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """Object-level page permissions, local roles and part-time member appointments."""

    name = "plugins.access"
    label = "access"
    verbose_name = _("权限与任职")
    #: What 设置 › 插件管理 says the plugin does.
    description = _("页面的对象级权限、本地角色与“共享”设置；兼职委员的任职、任期、到期与免职。")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs",)
    # Files of private collections (gongjian_site.storage), after the privacy check.
    url_includes = (("private-media/", "plugins.access.media_urls"),)

    def ready(self):
        # Wagtail refuses a policy registered after its fallback was built, so this
        # must run before any admin code asks the registry for the Page policy.
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from .policy import LocalRolePagePermissionPolicy
        from .publishing import install_permission_tester

        register_permission_policy(Page, LocalRolePagePermissionPolicy(Page))
        install_permission_tester()

        from wagtail import hooks

        from .policy import limit_chooser_to_visible

        hooks.register("construct_page_chooser_queryset", limit_chooser_to_visible)

        # Bulk-action confirmations and the page-types usage report show only what the
        # user may see (they read pages without asking the policy, and have no hook).
        from .admin_visibility import install_admin_visibility

        install_admin_visibility()

        # Files of private collections are named under private/ and moved when their
        # collection's privacy changes (issue 15, Wagtail issue 3880).
        from .mediafiles import connect_signals, install_private_media

        install_private_media()
        connect_signals()
