"""Wagtail's workflow log entries, told in Chinese: who (the entry's user), when (its
time), which step, the decision, and the comment (shown under the message)."""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter


def _workflow(log_entry):
    return log_entry.data.get("workflow", {})


def _is_check(data):
    from .models import PrePublishCheckTask

    task_id = data.get("task", {}).get("id")
    return bool(task_id) and PrePublishCheckTask.objects.filter(pk=task_id).exists()


class _StepFormatter(LogFormatter):
    decision = ""

    def format_message(self, log_entry):
        data = _workflow(log_entry)
        task = data.get("task", {}).get("title", "")
        # The check runs inside the submitter's request, so Wagtail's log context
        # records the submitter as the entry's user; the message says who decided.
        who = str(_("（自动检查）")) if _is_check(data) else ""
        message = _("“%(workflow)s”·“%(task)s”：%(decision)s%(who)s") % {
            "workflow": data.get("title", ""), "task": task, "decision": self.decision, "who": who,
        }  # fmt: skip
        following = data.get("next")
        if following and self.action_next:
            message += str(_("，转入“%(next)s”")) % {"next": following.get("title", "")}
        return message

    action_next = True

    def format_comment(self, log_entry):
        return log_entry.data.get("comment", "")


def register_log_actions(actions):
    @actions.register_action("wagtail.workflow.approve")
    class Approve(_StepFormatter):
        label = _("审核通过")
        decision = _("审核通过")

    @actions.register_action("wagtail.workflow.reject")
    class Reject(_StepFormatter):
        label = _("退回修改")
        decision = _("退回修改")
        action_next = False

    @actions.register_action("wagtail.workflow.start")
    class Start(LogFormatter):
        label = _("提交审核")

        def format_message(self, log_entry):
            data = _workflow(log_entry)
            following = data.get("next") or {}
            return _("提交“%(workflow)s”，当前步骤“%(task)s”") % {
                "workflow": data.get("title", ""), "task": following.get("title", ""),
            }  # fmt: skip

    @actions.register_action("wagtail.workflow.resume")
    class Resume(LogFormatter):
        label = _("重新提交")

        def format_message(self, log_entry):
            data = _workflow(log_entry)
            return _("修改后重新提交“%(workflow)s”，从“%(task)s”继续") % {
                "workflow": data.get("title", ""), "task": data.get("task", {}).get("title", ""),
            }  # fmt: skip

    @actions.register_action("workflows.publish_override")
    class PublishOverride(LogFormatter):
        label = _("管理员直接发布")

        def format_message(self, log_entry):
            return _("管理员直接发布，未经“%(workflow)s”审核流程") % {
                "workflow": _workflow(log_entry).get("title", ""),
            }  # fmt: skip

    @actions.register_action("workflows.schedule_blocked")
    class ScheduleBlocked(LogFormatter):
        label = _("定时发布未执行")

        def format_message(self, log_entry):
            return _("定时发布未执行：发布前检查发现需要修改的词语，已取消定时，草稿保留")

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")
