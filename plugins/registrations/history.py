"""How change-request decisions read in a record's history (Wagtail's log entries).

The versions themselves are the change-request rows (``models.ChangeRequest``: what
each request brought, and for an accepted one what it replaced); the log says who
did what when, in the 历史 view of the record next to Wagtail's own edit entries.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter


def register_change_log_actions(actions):
    @actions.register_action("registrations.change_submitted")
    class Submitted(LogFormatter):
        label = _("收到变更申请")

        def format_message(self, log_entry):
            return _("通过公开表单收到变更申请（第 %(change)s 号），原登记未改动") % {
                "change": log_entry.data.get("change", "?")
            }

    @actions.register_action("registrations.change_accepted")
    class Accepted(LogFormatter):
        label = _("采纳变更申请")

        def format_message(self, log_entry):
            fields = "、".join(log_entry.data.get("fields", [])) or _("无内容变化")
            return _("采纳变更申请（第 %(change)s 号）并审核通过，更新了：%(fields)s") % {
                "change": log_entry.data.get("change", "?"),
                "fields": fields,
            }

    @actions.register_action("registrations.change_rejected")
    class Rejected(LogFormatter):
        label = _("不采纳变更申请")

        def format_message(self, log_entry):
            return _("未采纳变更申请（第 %(change)s 号），原登记保持不变") % {
                "change": log_entry.data.get("change", "?")
            }
