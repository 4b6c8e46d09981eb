"""A page's state as Plone shows it, in Chinese.

草稿 never published · 待审核 naming the step and who holds it · 已退回 with the
reviewer's comment · 定时发布 approved, waiting for its go-live time · 已发布 ·
已下线 was published, now unpublished or expired.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import WorkflowState

DRAFT, PENDING, SENT_BACK, SCHEDULED, PUBLISHED, OFFLINE = (
    "draft", "pending", "sent_back", "scheduled", "published", "offline",
)  # fmt: skip
LABELS = {
    DRAFT: _("草稿"), PENDING: _("待审核"), SENT_BACK: _("已退回"),
    SCHEDULED: _("定时发布"), PUBLISHED: _("已发布"), OFFLINE: _("已下线"),
}  # fmt: skip


@dataclass
class PageState:
    key: str
    detail: str = ""

    @property
    def label(self):
        return LABELS[self.key]

    def __str__(self):
        return f"{self.label}（{self.detail}）" if self.detail else str(self.label)


def _name(user):
    from .people import display_name

    return display_name(user)


def page_state(page, workflow_state=None, brief=False):
    """The state of ``page`` (pass its active workflow state when already fetched).

    ``brief``: for a row of the page explorer, the step's name without who holds it,
    the comment or the go-live time, from what Wagtail's listing has already fetched
    for every row (active workflow states, the approved-schedule annotation), so a long
    listing costs no query per row."""
    if brief:
        workflow_state = page.current_workflow_state
    elif workflow_state is None:  # False: the caller knows there is no active one
        workflow_state = (
            WorkflowState.objects.active().for_instance(page)
            .select_related("current_task_state__task", "current_task_state__finished_by")
            .first()
        )  # fmt: skip
    if workflow_state:
        task_state = workflow_state.current_task_state
        if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS and task_state:
            if brief:
                return PageState(PENDING, task_state.task.name)
            task = task_state.task.specific
            holders = getattr(task, "reviewers", None)
            names = "、".join(_name(u) for u in holders(page)) if holders else ""
            detail = str(_("%(step)s：%(who)s")) % {"step": task.name, "who": names} if names \
                else task.name  # fmt: skip
            return PageState(PENDING, detail)
        if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES and task_state:
            if brief:
                return PageState(SENT_BACK, task_state.task.name)
            by = _name(task_state.finished_by)
            comment = task_state.comment or str(_("无意见"))
            return PageState(SENT_BACK, f"{task_state.task.name} · {by}：{comment}")
    if brief and page.approved_schedule:
        return PageState(SCHEDULED)
    scheduled = None if brief else page.scheduled_revision
    if scheduled is not None and scheduled.approved_go_live_at:
        when = timezone.localtime(scheduled.approved_go_live_at).strftime("%Y-%m-%d %H:%M")
        return PageState(SCHEDULED, str(_("%(when)s 上线")) % {"when": when})
    if page.live:
        detail = str(_("有未发布的修改")) if page.has_unpublished_changes else ""
        return PageState(PUBLISHED, detail)
    if page.expired or page.first_published_at:
        return PageState(OFFLINE, str(_("已过期")) if page.expired else "")
    return PageState(DRAFT)


APPROVED, CANCELLED = "approved", "cancelled"
LABELS.update({APPROVED: _("已通过"), CANCELLED: _("已取消")})


def object_state(workflow_state):
    """The state of a non-page object (a snippet) in its workflow run, from that run alone:
    such objects have no page tree, go-live or our reviewers to name."""
    task_state = workflow_state.current_task_state
    step = task_state.task.name if task_state else ""
    if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
        return PageState(PENDING, step)
    if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return PageState(SENT_BACK, step)
    if workflow_state.status == WorkflowState.STATUS_APPROVED:
        return PageState(APPROVED)
    return PageState(CANCELLED)
