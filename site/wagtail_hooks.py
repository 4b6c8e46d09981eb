"""The project's own hooks: mark pages the anonymous page cache may keep; the login
failure report (报告 › 登录失败记录) and the add-on control panel (设置 › 插件管理),
superusers only."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem

from . import accounts, admin_plugins
from .pagecache import mark_cacheable


@hooks.register("before_serve_page")
def page_cache_marker(page, request, serve_args, serve_kwargs):
    mark_cacheable(request, page)


@hooks.register("register_admin_urls")
def register_account_urls():
    return [
        path("reports/login-failures/", accounts.login_failure_report, name="login_failures"),
        path("plugins/", admin_plugins.plugin_panel, name="plugin_panel"),
        path("plugins/upgrade/", admin_plugins.run_upgrades, name="plugin_upgrade"),
    ]


@hooks.register("register_settings_menu_item")
def register_plugin_panel():
    return AdminOnlyMenuItem(
        _("插件管理"), reverse("plugin_panel"), name="plugins", icon_name="cogs", order=900
    )


@hooks.register("register_reports_menu_item")
def register_login_failure_report():
    return AdminOnlyMenuItem(
        _("登录失败记录"), reverse("login_failures"), name="login-failures",
        icon_name="warning", order=900,
    )  # fmt: skip


@hooks.register("register_admin_urls")
def register_ledger_urls():
    """从Excel导入 / 下载模板 of the ledgers plugins declare (``register_ledgers``)."""
    from . import ledger_views

    return ledger_views.urlpatterns
