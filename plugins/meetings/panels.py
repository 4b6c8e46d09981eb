"""Editor panel that shows the notice rule next to the notice fields."""

from wagtail.admin.panels import Panel


class NoticePanel(Panel):
    """What the one-week notice rule says about the saved meeting (a warning, not an error)."""

    @property
    def clean_name(self):
        return super().clean_name or "notice_check"

    class BoundPanel(Panel.BoundPanel):
        template_name = "meetings/panels/notice.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["checked"] = bool(page.pk)
            context["findings"] = page.notice_warnings() if page.pk else []
            context["is_joint"] = page.kind == "joint"
            return context


class SignInPanel(Panel):
    """The meeting's scan-to-sign-in records (扫码签到): who, when, how. Read-only: they
    are written by the attendees themselves, not by the editor."""

    @property
    def clean_name(self):
        return super().clean_name or "sign_ins"

    class BoundPanel(Panel.BoundPanel):
        template_name = "meetings/panels/sign_ins.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["sign_ins"] = list(page.sign_ins.select_related("user")) if page.pk else []
            return context
