"""What a user is told after submitting, approving or sending back: what happened and what
comes next, in Chinese (e.g. 已通过“街道审核”，已转“区委终审”（组织部）)."""

from django.utils.translation import gettext as _
from wagtail.models import TaskState, WorkflowState

from .people import display_name


def _holders(task, page):
    reviewers = getattr(task, "reviewers", None)
    return "、".join(display_name(u) for u in reviewers(page)) if reviewers else ""


def _next_step(workflow_state, page):
    """'已转“step”（who）' for a running workflow, or the outcome when it has ended."""
    workflow_state.refresh_from_db()
    current = workflow_state.current_task_state
    if workflow_state.status == WorkflowState.STATUS_APPROVED:
        page.refresh_from_db(fields=["live", "go_live_at"])
        return _("页面已发布") if page.live else _("审核流程已完成，页面将按计划时间发布")
    if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS and current is not None:
        task = current.task.specific
        who = _holders(task, page)
        if who:
            return _("已转“%(step)s”（%(who)s）") % {"step": task.name, "who": who}
        return _("已转“%(step)s”") % {"step": task.name}
    if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES and current is not None:
        author = display_name(workflow_state.requested_by)
        return _("已退回给%(author)s修改，修改后可重新提交") % {"author": author}
    return ""


def after_action_message(task_state):
    """The message after ``task_state`` was approved or sent back by a person."""
    task_state = TaskState.objects.select_related("task", "workflow_state").get(pk=task_state.pk)
    page = task_state.workflow_state.content_object
    step = task_state.task.name
    following = _next_step(task_state.workflow_state, page)
    if task_state.status == TaskState.STATUS_APPROVED:
        head = _("已通过“%(step)s”") % {"step": step}
    elif task_state.status == TaskState.STATUS_REJECTED:
        head = _("“%(step)s”已退回修改") % {"step": step}
    else:
        return ""
    return f"{head}，{following}。" if following else f"{head}。"


def state_message(page):
    """The message after submitting ``page``: the step it waits at and who holds it, or
    that the automatic check sent it straight back (the matches are on the page)."""
    state = (
        WorkflowState.objects.for_instance(page)
        .select_related("workflow", "current_task_state__task")
        .order_by("-pk")
        .first()
    )
    if state is None:
        return ""
    workflow = state.workflow.name
    current = state.current_task_state
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES and current is not None:
        if current.finished_by_id is None:
            return _("已提交“%(workflow)s”，但发布前检查发现需要修改的词语，已退回："
                     "请按页面状态中的提示修改后重新提交。") % {"workflow": workflow}  # fmt: skip
        return ""
    following = _next_step(state, page)
    return _("已提交“%(workflow)s”，%(next)s。") % {"workflow": workflow, "next": following}
