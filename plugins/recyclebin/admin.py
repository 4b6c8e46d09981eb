"""What the recycle bin hooks into Wagtail's admin; ``wagtail_hooks`` only registers these.

Wagtail 8's delete view calls ``before_delete_page`` in ``dispatch`` for GET and POST
alike, before its own confirmation checks, and deletes in ``post``. So the hook lets
GET (the confirmation page) and any POST the view would refuse pass through unchanged,
and only a confirmed POST is turned into a move to the bin. The bulk delete action runs
``before_bulk_action`` inside its transaction just before deleting.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.pages.utils import type_to_delete_confirmation
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry

from .models import RecycleBinPage, is_in_bin, move_to_bin, retention


def _moved_message(pages, descendants):
    return _(
        "已将 %(pages)s 个页面（含 %(descendants)s 个下级页面）移入回收站，"
        "%(days)s 天内可在“回收站”中恢复。"
    ) % {"pages": pages, "descendants": descendants, "days": retention().days}


def before_delete_page(request, page):
    """Turn a confirmed single delete into a move to the bin."""
    if request.method != "POST" or is_in_bin(page):
        return None  # the confirmation page, or a real delete inside the bin
    if not type_to_delete_confirmation(request):
        return None  # the view re-renders its confirmation form
    if ReferenceIndex.get_references_to(page).group_by_source_object().is_protected:
        return None  # the view refuses protected pages itself
    parent_id = page.get_parent().id
    entry = move_to_bin(page, user=request.user)
    messages.success(request, _moved_message(1, entry.descendant_count))
    next_url = get_valid_next_url_from_request(request)
    return redirect(next_url or reverse("wagtailadmin_explore", args=[parent_id]))


def before_bulk_action(request, action_type, objects, action):
    """Turn a bulk delete of pages into moves to the bin."""
    if action_type != "delete" or not issubclass(action.model, Page):
        return None
    pages = sorted(objects, key=lambda page: page.path)
    moved, descendants = 0, 0
    taken = []
    for page in pages:
        if any(page.path.startswith(path) for path in taken):
            continue  # moved already with an ancestor selected in the same batch
        if is_in_bin(page):
            page.delete(user=request.user)  # deleting inside the bin is for good
            continue
        entry = move_to_bin(page, user=request.user)
        taken.append(page.path)
        moved += 1
        descendants += entry.descendant_count
    if moved:
        messages.success(request, _moved_message(moved, descendants))
    return redirect(action.next_url)


def hide_bin(parent_page, pages, request):
    """The bin is reached through its own menu item, not the page explorer."""
    return pages.not_type(RecycleBinPage)


def hide_bin_from_chooser(pages, request):
    return pages.not_type(RecycleBinPage)


def register_log_actions(actions):
    actions.register_action(
        "recyclebin.move_to_bin", gettext_lazy("移入回收站"), gettext_lazy("页面已移入回收站")
    )
    actions.register_action(
        "recyclebin.restore", gettext_lazy("从回收站恢复"), gettext_lazy("页面已从回收站恢复")
    )


class RecycleBinMenuItem(MenuItem):
    """Shown to whoever may delete pages somewhere."""

    def is_shown(self, request):
        user = request.user
        return user.is_superuser or policy_registry.get_by_type(Page).user_has_any_permission(
            user, ["delete", "add"]
        )


def menu_item():
    return RecycleBinMenuItem(
        gettext_lazy("回收站"), reverse("recyclebin:index"), icon_name="bin", order=900
    )
