from django.urls import include, path
from wagtail import hooks

from . import admin, urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("recycle-bin/", include(urls, namespace="recyclebin"))]


hooks.register("before_delete_page", admin.before_delete_page)
hooks.register("before_bulk_action", admin.before_bulk_action)
hooks.register("construct_explorer_page_queryset", admin.hide_bin)
hooks.register("construct_page_chooser_queryset", admin.hide_bin_from_chooser)
hooks.register("register_log_actions", admin.register_log_actions)
hooks.register("register_admin_menu_item", admin.menu_item)
