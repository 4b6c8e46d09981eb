"""The project's own hooks: mark pages the anonymous page cache may keep; the login
failure report (报告 › 登录失败记录, superusers only)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem

from . import accounts
from .pagecache import mark_cacheable


@hooks.register("before_serve_page")
def page_cache_marker(page, request, serve_args, serve_kwargs):
    mark_cacheable(request, page)


@hooks.register("register_admin_urls")
def register_account_urls():
    return [
        path("reports/login-failures/", accounts.login_failure_report, name="login_failures"),
    ]


@hooks.register("register_reports_menu_item")
def register_login_failure_report():
    return AdminOnlyMenuItem(
        _("登录失败记录"), reverse("login_failures"), name="login-failures",
        icon_name="warning", order=900,
    )  # fmt: skip
