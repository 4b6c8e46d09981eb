"""Audit-log actions of the access plugin, labelled in Chinese."""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter


def register_log_actions(actions):
    @actions.register_action("gongjian.grant_role")
    class GrantRole(LogFormatter):
        label = _("授予角色")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("授予 %(user)s “%(role)s”角色") % {
                "user": data.get("username", ""),
                "role": data.get("role_label", data.get("role", "")),
            }

    @actions.register_action("gongjian.revoke_role")
    class RevokeRole(LogFormatter):
        label = _("撤销角色")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("撤销 %(user)s 的“%(role)s”角色") % {
                "user": data.get("username", ""),
                "role": data.get("role_label", data.get("role", "")),
            }

    actions.register_action("gongjian.appointment_remove", _("免职"), _("已免职"))
    actions.register_action("gongjian.appointment_renew", _("续任"), _("已续任"))
    actions.register_action("gongjian.appointment_expire", _("任期届满"), _("任期届满"))
