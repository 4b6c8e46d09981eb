"""Dashboard panels: 待我审核 (only the tasks this user can act on now) and 我提交的."""

from django.db.models import Max
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState, WorkflowState

from .states import page_state

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
        pages = Page.objects.in_bulk([int(s.workflow_state.object_id) for s in states])
        rows = []
        for state in states:
            page = pages.get(int(state.workflow_state.object_id))
            if page is None:
                continue
            actions = state.task.specific.get_actions(page, user)
            if not actions:  # listed only when the user can act now
                continue
            rows.append({"page": page, "task_state": state,
                         "can_approve": any(a[0] == "approve" for a in actions)})  # fmt: skip
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
        pages = Page.objects.in_bulk([int(s.object_id) for s in states])
        rows = []
        for state in states:
            page = pages.get(int(state.object_id))
            if page is None:
                continue
            # Only a running or sent-back run decides the state; otherwise the page does.
            active = state.status in (WorkflowState.STATUS_IN_PROGRESS,
                                      WorkflowState.STATUS_NEEDS_CHANGES)  # fmt: skip
            state_now = page_state(page, state if active else False)
            rows.append({"page": page, "workflow_state": state, "state": state_now})
        return {"rows": rows, "request": request}


def replace_panels(request, panels):
    """Ours instead of Wagtail's two workflow panels (same data, Chinese states)."""
    stock = {"workflow_objects_to_moderate", "user_objects_in_workflow_moderation"}
    panels[:] = [p for p in panels if getattr(p, "name", "") not in stock]
    panels.extend([ToReviewPanel(), SubmittedPanel()])
