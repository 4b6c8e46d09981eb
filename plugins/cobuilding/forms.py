"""Forms: the admin record forms (choices limited to the user's scope), the claim
actions, and the public needs form (honeypot, rate limit, moderation)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from gongjian_site.textinput import CleanTextFormMixin

from . import policies
from .models import (
    PUBLIC_NEED_STATUSES,
    Agreement,
    Category,
    Commitment,
    Need,
    Resource,
)

# --- Admin record forms ------------------------------------------------------------


class ScopedRecordForm(WagtailAdminModelForm):
    """Offers only the communities, units, needs, resources, agreements and commitments
    the user may use, so a crafted POST cannot file a record under another unit."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        user = for_user
        if user is None:
            return
        fields = self.fields
        if "community" in fields:
            fields["community"].queryset = policies.community_choices(user)
        if "unit" in fields:
            fields["unit"].queryset = policies.unit_choices(user)
        if "needs" in fields:
            fields["needs"].queryset = _visible(Need, user).filter(status__in=PUBLIC_NEED_STATUSES)
        if "resources" in fields:
            fields["resources"].queryset = _visible(Resource, user)
        if "agreement" in fields:
            fields["agreement"].queryset = _visible(Agreement, user)
        if "commitment" in fields:
            fields["commitment"].queryset = _visible(Commitment, user).select_related(
                "agreement__unit"
            )
        self._user = user

    def clean(self):
        cleaned = super().clean()
        user = getattr(self, "_user", None)
        community, unit = cleaned.get("community"), cleaned.get("unit")
        # A unit person files for their unit; a manager for units of their community.
        if (
            user is not None
            and community
            and unit
            and not (policies.acts_for(user, unit.pk) or policies.manages(user, community.pk))
        ):
            self.add_error("unit", _("您只能为自己负责的单位登记。"))
        return cleaned


def _visible(model, user):
    """The ``model`` records ``user`` may choose: those its policy lets them see."""
    from plugins.access.api import record_policy

    return record_policy(model).instances_user_has_permission_for(user, "view")


class AgreementForm(ScopedRecordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clauses"].error_messages["required"] = _("协议条款不能为空。")

    def clean_clauses(self):
        clauses = self.cleaned_data["clauses"]
        if not [line for line in clauses.splitlines() if line.strip()]:
            raise forms.ValidationError(_("协议条款不能为空。"))
        return clauses


# --- Claim actions -------------------------------------------------------------------


class ClaimNeedForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("认领单位"), queryset=None,
                                  error_messages={"required": _("请选择认领单位。")})  # fmt: skip
    plan = forms.CharField(label=_("认领说明"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=2000,
                           error_messages={"required": _("请简要说明如何落实该需求。")},
                           )  # fmt: skip

    def __init__(self, units, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ClaimResourceForm(forms.Form):
    plan = forms.CharField(label=_("认领说明"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=2000,
                           error_messages={"required": _("请说明社区将如何使用该资源。")},
                           )  # fmt: skip


class DecideClaimForm(forms.Form):
    decision = forms.ChoiceField(label=_("决定"), choices=[("accept", _("接受并形成项目")),
                                                           ("decline", _("婉拒"))],
                                 widget=forms.RadioSelect,
                                 error_messages={"required": _("请选择接受或婉拒。")})  # fmt: skip
    project_title = forms.CharField(label=_("项目名称"), max_length=120, required=False)
    target_date = forms.DateField(
        label=_("计划完成日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请输入有效日期，如 2026-06-30。")},
    )
    reason = forms.CharField(label=_("婉拒理由"), max_length=300, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == "decline" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("婉拒时必须填写理由。"))
        if decision == "accept" and not (cleaned.get("project_title") or "").strip():
            self.add_error("project_title", _("接受认领时请填写项目名称。"))
        return cleaned


class ModerateNeedForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结果"), choices=[("approve", _("通过并公示")),
                                                               ("reject", _("不予采纳"))],
                                 widget=forms.RadioSelect,
                                 error_messages={"required": _("请选择审核结果。")})  # fmt: skip
    note = forms.CharField(label=_("审核意见"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("不予采纳时请填写审核意见。"))
        return cleaned


class ProgressForm(forms.Form):
    date = forms.DateField(
        label=_("日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("请填写日期。"),
            "invalid": _("请输入有效日期，如 2026-06-30。"),
        },
    )
    percent = forms.IntegerField(
        label=_("完成进度（%）"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("请填写完成进度。"),
            "invalid": _("完成进度请填写 0 到 100 的整数。"),
            "min_value": _("完成进度不能小于 0。"),
            "max_value": _("完成进度不能大于 100。"),
        },
    )
    note = forms.CharField(label=_("进展说明"), max_length=300,
                           error_messages={"required": _("请填写进展说明。")})  # fmt: skip


class ScoreForm(forms.Form):
    score = forms.IntegerField(
        label=_("评诺得分（0-100）"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("请填写得分。"),
            "invalid": _("得分请填写 0 到 100 的整数。"),
            "min_value": _("得分不能小于 0。"),
            "max_value": _("得分不能大于 100。"),
        },
    )
    comment = forms.CharField(label=_("评诺意见"), max_length=300, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


# --- Public needs form ---------------------------------------------------------------

MOBILE = re.compile(r"^1[3-9]\d{9}$")


class NeedSubmissionForm(CleanTextFormMixin, forms.Form):
    """A resident's need; saved as 待审核 and shown only after the community moderates it.

    Control characters are taken out and the form is shown again to say so
    (CleanTextFormMixin): they would break the board's exports and the moderator's view."""

    title = forms.CharField(
        label=_("需求名称"),
        max_length=60,
        error_messages={
            "required": _("请填写需求名称。"),
            "max_length": _("需求名称不能超过 60 个字。"),
        },
    )
    category = forms.ChoiceField(
        label=_("类别"),
        choices=[("", _("请选择")), *Category.choices],
        error_messages={
            "required": _("请选择需求类别。"),
            "invalid_choice": _("请从列表中选择需求类别。"),
        },
    )
    description = forms.CharField(
        label=_("具体描述"),
        widget=forms.Textarea(attrs={"rows": 5}),
        min_length=10,
        max_length=1000,
        error_messages={
            "required": _("请描述您的需求。"),
            "min_length": _("描述太短，请至少写 10 个字。"),
            "max_length": _("描述不能超过 1000 个字。"),
        },
    )
    raised_by = forms.CharField(
        label=_("称呼"),
        max_length=30,
        help_text=_("公示时显示，如“3号楼居民”，请勿填写全名"),
        error_messages={
            "required": _("请填写称呼，如“3号楼居民”。"),
            "max_length": _("称呼不能超过 30 个字。"),
        },
    )
    contact_phone = forms.CharField(label=_("联系电话（选填，不公开）"), max_length=20,
                                    required=False)  # fmt: skip
    # Hidden from people by the stylesheet; bots fill every field they find.
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_raised_by(self):
        return self.cleaned_data["raised_by"].strip()

    def clean_contact_phone(self):
        value = re.sub(r"[\s-]", "", self.cleaned_data["contact_phone"])
        if value.startswith("+86"):
            value = value[3:]
        if value and not MOBILE.match(value):
            raise forms.ValidationError(_("请输入 11 位手机号码，如 13812345678。"))
        return value

    @property
    def is_spam(self):
        return bool(self.data.get("website"))

    def save(self, community, year):
        from .models import NeedSource, NeedStatus

        data = self.cleaned_data
        return Need.objects.create(
            community=community, year=year, title=data["title"], category=data["category"],
            description=data["description"], raised_by=data["raised_by"],
            contact_phone=data["contact_phone"], status=NeedStatus.PENDING,
            source=NeedSource.RESIDENT,
        )  # fmt: skip
