"""Dashboard panels: 待我审核 (only the tasks this user can act on now) and 我提交的.

They replace Wagtail's two panels, so they list snippets under a workflow too: pages with
our Chinese states and one-click approval, other objects with their title, a link to
their edit view and the step they wait at (their approval stays in their own editor)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.urls import reverse
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState, WorkflowState

from .states import object_state, page_state


def _page_ct_id():
    return ContentType.objects.get_for_model(Page).pk


def _page_row(page):
    return {
        "title": page.get_admin_display_title(),
        "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "history_url": reverse("wagtailadmin_pages:history", args=[page.pk]),
    }


def _object_row(obj, user):
    return {"title": str(obj), "edit_url": AdminURLFinder(user).get_edit_url(obj),
            "history_url": None}  # fmt: skip


LIMIT = 20


class ToReviewPanel(Component):
    name = "workflows_to_review"
    template_name = "workflows/panels/to_review.html"
    order = 200

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        user = request.user
        states = (
            TaskState.objects.reviewable_by(user)
            .filter(status=TaskState.STATUS_IN_PROGRESS)
            .select_related(
                "task", "workflow_state__workflow", "workflow_state__requested_by", "revision"
            )  # fmt: skip
            .order_by("-started_at")[: LIMIT * 2]
        )
        page_ct = _page_ct_id()
        pages = Page.objects.in_bulk(
            [int(s.workflow_state.object_id) for s in states
             if s.workflow_state.base_content_type_id == page_ct]
        )  # fmt: skip
        rows = []
        for state in states:
            if state.workflow_state.base_content_type_id != page_ct:
                obj = state.workflow_state.content_object
                if obj is None or not state.task.specific.get_actions(obj, user):
                    continue
                rows.append({**_object_row(obj, user), "task_state": state, "approve_url": None})
                continue
            page = pages.get(int(state.workflow_state.object_id))
            if page is None:
                continue
            actions = state.task.specific.get_actions(page, user)
            if not actions:  # listed only when the user can act now
                continue
            can_approve = any(a[0] == "approve" for a in actions)
            approve_url = reverse("wagtailadmin_pages:workflow_action",
                                  args=[page.pk, "approve", state.pk])  # fmt: skip
            rows.append({**_page_row(page), "task_state": state,
                         "approve_url": approve_url if can_approve else None})  # fmt: skip
        return {"rows": rows[:LIMIT], "request": request,
                "csrf_token": parent_context.get("csrf_token")}  # fmt: skip


class SubmittedPanel(Component):
    name = "workflows_submitted"
    template_name = "workflows/panels/submitted.html"
    order = 210

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        latest = (
            WorkflowState.objects.filter(requested_by=request.user)
            .values("base_content_type_id", "object_id").annotate(last=Max("pk"))
            .order_by("-last").values_list("last", flat=True)[:LIMIT]
        )  # fmt: skip
        states = list(
            WorkflowState.objects.filter(pk__in=list(latest))
            .select_related(
                "workflow", "current_task_state__task", "current_task_state__finished_by"
            )  # fmt: skip
            .order_by("-pk")
        )
        page_ct = _page_ct_id()
        pages = Page.objects.in_bulk(
            [int(s.object_id) for s in states if s.base_content_type_id == page_ct]
        )
        rows = []
        for state in states:
            if state.base_content_type_id != page_ct:
                obj = state.content_object
                if obj is not None:
                    rows.append({**_object_row(obj, request.user), "workflow_state": state,
                                 "state": object_state(state)})  # fmt: skip
                continue
            page = pages.get(int(state.object_id))
            if page is None:
                continue
            # Only a running or sent-back run decides the state; otherwise the page does.
            active = state.status in (WorkflowState.STATUS_IN_PROGRESS,
                                      WorkflowState.STATUS_NEEDS_CHANGES)  # fmt: skip
            state_now = page_state(page, state if active else False)
            rows.append({**_page_row(page), "workflow_state": state, "state": state_now})
        return {"rows": rows, "request": request}


def replace_panels(request, panels):
    """Ours instead of Wagtail's two workflow panels (same data, Chinese states)."""
    stock = {"workflow_objects_to_moderate", "user_objects_in_workflow_moderation"}
    panels[:] = [p for p in panels if getattr(p, "name", "") not in stock]
    panels.extend([ToReviewPanel(), SubmittedPanel()])
