"""Forms of the access plugin. Bad input gets a Chinese error and saves nothing."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from gongjian_site import clock

from .models import RemovalReason
from .roles import ROLE_CHOICES


class ActiveUserField(forms.CharField):
    """A user typed by username; unknown and deactivated accounts are refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("用户名"))
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            user = get_user_model()._default_manager.filter(pk=value).first()
            return user.get_username() if user else ""
        if hasattr(value, "get_username"):
            return value.get_username()
        return value

    def clean(self, value):
        username = super().clean(value)
        if not username:
            return None
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username.strip()}).first()
        if user is None:
            raise ValidationError(_("找不到用户“%(name)s”。"), params={"name": username})
        if not user.is_active:
            raise ValidationError(_("用户“%(name)s”已停用。"), params={"name": username})
        return user


class GrantRoleForm(forms.Form):
    username = ActiveUserField()
    role = forms.ChoiceField(label=_("角色"), choices=ROLE_CHOICES)


class AppointmentForm(WagtailAdminModelForm):
    """The modeladmin form: a username box instead of a list of every account."""

    user = ActiveUserField(label=_("用户（用户名）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "source_unit" in self.fields:
            self.fields["source_unit"].error_messages["invalid_choice"] = _(
                "原单位必须是驻区单位页面。"
            )
        if "committee" in self.fields:
            self.fields["committee"].error_messages["invalid_choice"] = _(
                "任职党组织必须是街道党工委或社区大党委。"
            )

    def clean(self):
        cleaned = super().clean()
        if "assigned_units" in self.fields and not cleaned.get("assigned_units"):
            source = cleaned.get("source_unit")
            if source is not None:
                # The default the issue asks for: the member edits their own unit.
                cleaned["assigned_units"] = [source]
        return cleaned


class RemovalForm(forms.Form):
    reason = forms.ChoiceField(label=_("免职原因"), choices=RemovalReason.choices)
    decided_on = forms.DateField(label=_("决定日期"), widget=AdminDateInput, initial=clock.today)
    filing_reference = forms.CharField(label=_("报上级备案文号"), max_length=120, required=False)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") in {RemovalReason.FAILED_DUTIES, RemovalReason.DISCIPLINE} and (
            not cleaned.get("filing_reference")
        ):
            self.add_error(
                "filing_reference", _("因不认真履职或违纪违法免职的，须填写报上级备案文号。")
            )
        return cleaned


class RenewalForm(forms.Form):
    years = forms.IntegerField(label=_("续任年数"), min_value=1, max_value=5, initial=3)
