"""The notice view: a clear message, then back to the page (or the dashboard)."""

from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.models import Page, TaskState

from gongjian_site.params import id_param

from .notices import MESSAGES


def _who(user):
    from .people import display_name

    return display_name(user)


DECISIONS = {
    TaskState.STATUS_APPROVED: _("审核通过"),
    TaskState.STATUS_REJECTED: _("退回修改"),
    TaskState.STATUS_CANCELLED: _("取消"),
}


def _id(request, name):
    """A numeric id from the query string, or 0 (a hand-edited link never fails)."""
    return id_param(request, name, 0)


def state_for_editor(request, page, can_edit):
    """The task state named in the query, only for those who may edit that very page."""
    if not can_edit:
        return None
    return TaskState.objects.filter(
        pk=_id(request, "task_state"), workflow_state__object_id=str(page.pk)
    ).first()


def notice(request):
    """Say why a workflow action did not happen, then show the page (or the dashboard)."""
    kind = request.GET.get("kind", "")
    page = Page.objects.filter(pk=_id(request, "page")).first()
    can_edit = page is not None and page.permissions_for_user(request.user).can_edit()
    done = state_for_editor(request, page, can_edit) if kind == "done" else None
    if done is not None:
        from .feedback import after_action_message

        text = after_action_message(done)
        if text:
            messages.success(request, text)
    elif kind == "blocked" and can_edit:
        from .checks import scan_page
        from .publishing import blocked_approval_message

        revision = page.get_latest_revision()
        found = scan_page(revision.as_object() if revision else page.specific)
        messages.error(request, blocked_approval_message(found))
    elif kind in MESSAGES:
        detail = ""
        # Who decided is told only to those who may edit that very page.
        state = (
            TaskState.objects.filter(
                pk=_id(request, "task_state"), workflow_state__object_id=str(page.pk)
            )
            .select_related("finished_by")
            .first()
            if can_edit
            else None
        )
        if state is not None and state.finished_at:
            decision = DECISIONS.get(state.status, state.status)
            detail = _("%(who)s 于 %(when)s %(decision)s") % {
                "who": _who(state.finished_by),
                "when": timezone.localtime(state.finished_at).strftime("%Y-%m-%d %H:%M"),
                "decision": decision,
            }
        messages.warning(request, MESSAGES[kind] % {"detail": detail or _("已处理")})
    if can_edit:
        return redirect("wagtailadmin_pages:edit", page.pk)
    return redirect("wagtailadmin_home")


urlpatterns = [path("notice/", notice, name="notice")]
