"""The project's own hooks: mark pages the anonymous page cache may keep; the login
failure report (报告 › 登录失败记录) and the add-on control panel (设置 › 插件管理),
superusers only; the Word templates of official documents (设置 › 文书模板)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem, Menu, MenuItem, SubmenuMenuItem

from . import accounts, admin_plugins, doctemplate_views, newpages, uploads
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
        path("new/<str:app_label>/<str:model_name>/", newpages.new_page, name="new_page"),
        # Before Wagtail's own (this app comes first): preselect the uploader's collection.
        path("images/multiple/add/", uploads.multiple_add_images),
        path("documents/multiple/add/", uploads.multiple_add_documents),
        path("doc-templates/", doctemplate_views.index, name="doc_templates"),
        path(
            "doc-templates/<str:key>/download/",
            doctemplate_views.download,
            name="doc_template_download",
        ),
        path(
            "doc-templates/<str:key>/default/",
            doctemplate_views.download_default,
            name="doc_template_default",
        ),
        path(
            "doc-templates/<str:key>/upload/", doctemplate_views.upload, name="doc_template_upload"
        ),
        path(
            "doc-templates/<str:key>/restore/",
            doctemplate_views.restore,
            name="doc_template_restore",
        ),
    ]


@hooks.register("register_settings_menu_item")
def register_plugin_panel():
    return AdminOnlyMenuItem(
        _("插件管理"), reverse("plugin_panel"), name="plugins", icon_name="cogs", order=900
    )


class DocumentTemplatesMenuItem(MenuItem):
    def is_shown(self, request):
        return doctemplate_views.user_manages_any(request.user)


@hooks.register("register_settings_menu_item")
def register_document_templates():
    """设置 › 文书模板: superusers and the offices that own a document."""
    return DocumentTemplatesMenuItem(
        _("文书模板"), reverse("doc_templates"), name="doc-templates", icon_name="doc-full",
        order=910,
    )  # fmt: skip


@hooks.register("register_admin_menu_item")
def register_new_page_menu():
    """新建 › 典型案例 / 活动记录 / 经验汇编, each under the editor's own organisation."""
    from django.apps import apps

    items = [
        MenuItem(label, reverse("new_page", args=[app_label, model_name]),
                 name=f"new-{model_name}", icon_name="plus", order=order)
        for order, (app_label, model_name, label) in enumerate(newpages.NEW_PAGE_TYPES)
        if apps.is_installed(f"plugins.{app_label}")
    ]  # fmt: skip
    return SubmenuMenuItem(_("新建"), Menu(items=items), name="new", icon_name="plus", order=140)


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
