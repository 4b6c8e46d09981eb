"""Registration only: URLs, menu items, page buttons, log actions, the appointment admin.

The page permission policy itself is registered in ``AccessConfig.ready()``.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail_modeladmin.options import modeladmin_register

from . import views
from .log_actions import register_log_actions
from .media import (
    PublicMediaAPIMixin,
    ensure_unit_collections,
    register_admin_media_api,
    register_media_policies,
    replace_document_privacy_check,
)
from .mediafiles import sync_after_bulk_action
from .policies import appointment_policy
from .record_policy import register_record_policies

# Before the admin below is built: it asks its model's policy.
register_record_policies(appointment_policy)

# Wagtail's images and documents register their policies in their own ready(), which
# may run after this module is first imported (another app's ready() can load hooks).
# Registering again when the admin URLs are built, after every ready(), makes ours stick.
register_media_policies()


class SharingButton(PageMenuItem):
    label = _("共享")
    icon_name = "group"
    url_name = "access:sharing"

    def is_shown(self, user):
        return self.page.depth > 1 and views.can_manage_sharing(user, self.page)


class PeopleButton(PageMenuItem):
    label = _("任职人员")
    icon_name = "user"
    url_name = "access:page_people"

    def is_shown(self, user):
        from plugins.orgs.models import CommunityPage, ResidentUnitPage, StreetPage

        return (
            self.page.specific_class in (StreetPage, CommunityPage, ResidentUnitPage)
            and self.page.permissions_for_user(user).can_edit()
        )


class MyUnitsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_active


@hooks.register("register_admin_urls")
def register_urls():
    register_media_policies()
    # Every wagtail_hooks module is loaded by now (Wagtail's document check included).
    replace_document_privacy_check()
    return [path("access/", include((views.urlpatterns, "access"), namespace="access"))]


@hooks.register("register_admin_menu_item")
def register_my_units_menu_item():
    return MyUnitsMenuItem(_("我的单位"), reverse("access:my_units"), icon_name="home",
                           order=150)  # fmt: skip


@hooks.register("register_page_header_buttons")
def sharing_header_button(page, user, view_name, next_url=None):
    yield SharingButton(page=page, priority=75)
    yield PeopleButton(page=page, priority=76)


@hooks.register("register_page_listing_more_buttons")
def sharing_listing_button(page, user, next_url=None):
    yield SharingButton(page=page, priority=75)


hooks.register("register_log_actions", register_log_actions)
# After Wagtail's images and documents register theirs (same order: app order), so ours win.
hooks.register("construct_admin_api", register_admin_media_api, order=100)


@hooks.register("gongjian_public_media_api_mixins")
def public_media_api():
    """The public API (/api/v2/) lists public images and documents only."""
    return [PublicMediaAPIMixin]


# Wagtail's "add to collection" bulk action updates rows without saving them.
hooks.register("after_bulk_action", sync_after_bulk_action)
modeladmin_register(views.AppointmentAdmin)
hooks.register("on_serve_page", views.serve_private_pages_to_readers, order=-10)


@hooks.register("after_create_page")
def give_new_units_a_collection(request, page):
    ensure_unit_collections()


@hooks.register("default_upload_collection")
def own_upload_collection(user, collections):
    """Uploads go to the editor's own unit's or community's collection, else 公共图片."""
    from .media import default_upload_collection

    return default_upload_collection(user, collections)
