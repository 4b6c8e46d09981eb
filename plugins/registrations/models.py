"""The three registration tables of the policy's 附件: 驻区单位摸排登记表,
驻区单位党组织报到登记表 and 在职党员到社区报到 (双报到).

Every record belongs to the community whose public form received it; unit records
also point at the resident unit page they were matched to (by an earlier record
with the same credit code, or by name under the community or its street). The
unit and community links are what object permissions read: a part-time member
sees the records of the units they are appointed to, a community's reviewer those
of the community (policies.py, plugins/access/record_policy.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plugins.orgs.models import UnitKind

from .validators import validate_credit_code


class Status(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已审核")
    REJECTED = "rejected", _("已退回")


class Registration(models.Model):
    """What every registration has: where it came in, its moderation state, when."""

    community = models.ForeignKey(
        "orgs.CommunityPage",
        verbose_name=_("报到社区"),
        # A community page removed for good leaves the table's history in place.
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    status = models.CharField(
        _("审核状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    moderation_note = models.TextField(_("审核意见"), blank=True)
    submitted_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submission_count = models.PositiveIntegerField(
        _("提交次数"),
        default=1,
        help_text=_("首次登记加上已采纳的变更申请；同一单位再次提交不会直接改动原记录"),
    )

    class Meta:
        abstract = True
        ordering = ["-submitted_at"]


class UnitRegistration(Registration):
    """A registration by a resident unit, identified by its unified social credit code."""

    unit = models.ForeignKey(
        "orgs.ResidentUnitPage",
        verbose_name=_("对应驻区单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("提交时按信用代码或单位名称自动匹配，审核时可更正"),
    )
    unit_name = models.CharField(_("单位名称"), max_length=120)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, validators=[validate_credit_code]
    )
    party_organisation = models.CharField(_("党组织名称"), max_length=120)
    secretary_name = models.CharField(_("党组织书记"), max_length=50)
    party_member_count = models.PositiveIntegerField(_("党员人数"))

    class Meta(Registration.Meta):
        abstract = True

    def __str__(self):
        return self.unit_name


class UnitSurvey(UnitRegistration):
    """驻区单位摸排登记表: what a resident unit is and what it can offer."""

    kind = models.CharField(_("单位类别"), max_length=32, choices=UnitKind.choices)
    address = models.CharField(_("单位地址"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=32)
    resources = models.TextField(_("可提供的资源"), blank=True)

    class Meta(UnitRegistration.Meta):
        verbose_name = _("驻区单位摸排登记")
        verbose_name_plural = _("驻区单位摸排登记表")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "credit_code"], name="registrations_survey_unique_code"
            )
        ]


class PartyOrgType(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    JOINT_BRANCH = "joint_branch", _("联合党支部")


class UnitCheckIn(UnitRegistration):
    """驻区单位党组织报到登记表: a unit's Party organisation checking in with the community."""

    org_type = models.CharField(_("党组织类别"), max_length=32, choices=PartyOrgType.choices)
    liaison_name = models.CharField(_("联络员"), max_length=50)
    liaison_phone = models.CharField(_("联络员电话"), max_length=32)
    intentions = models.TextField(
        _("共建意向"), blank=True, help_text=_("拟认领的服务项目、可共享的场地设施等")
    )

    class Meta(UnitRegistration.Meta):
        verbose_name = _("驻区单位党组织报到")
        verbose_name_plural = _("驻区单位党组织报到登记表")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "credit_code"], name="registrations_checkin_unique_code"
            )
        ]


class ServicePost(models.TextChoices):
    """The post classes the city's opinion names for members without office (seed 002,
    "无职党员设岗定责")."""

    SUPERVISION = "supervision", _("社区监督")
    PUBLIC_AFFAIRS = "public_affairs", _("公共事务")
    DEMOCRACY = "democracy", _("民主建设")
    MORAL_EDUCATION = "moral_education", _("公民道德教育")
    POVERTY_RELIEF = "poverty_relief", _("扶贫帮困")


class MemberCheckIn(Registration):
    """在职党员到社区报到 ("双报到"): a Party member checks in where they live.

    ``community`` is their home community (居住社区). Mobile and home address are for
    the community's contact and its half-yearly report to the member's own
    organisation; they never appear on a public page."""

    name = models.CharField(_("姓名"), max_length=50)
    party_organisation = models.CharField(_("所在党组织"), max_length=120)
    workplace = models.CharField(_("工作单位"), max_length=120)
    service_post = models.CharField(_("认领服务岗位"), max_length=32, choices=ServicePost.choices)
    mobile = models.CharField(_("手机号码"), max_length=20)
    home_address = models.CharField(_("家庭住址"), max_length=200)

    class Meta(Registration.Meta):
        verbose_name = _("在职党员报到")
        verbose_name_plural = _("在职党员到社区报到登记表")

    def __str__(self):
        return self.name


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("未采纳")


class ChangeRequest(models.Model):
    """A public submission for a unit this community already holds (same credit code).

    Anyone can type a unit's credit code into a public form, so such a submission never
    changes the record: it waits here, with everything it said, until a moderator has
    compared it with the record side by side and accepted it (its values replace the
    record's, and ``previous`` keeps what they replaced) or rejected it. The rows are
    the record's version history from the public forms: every version anyone sent in,
    who decided and when, and every version a decision replaced; each decision is also
    written to Wagtail's log of the record (its 历史 view)."""

    #: The record's fields a submission may change: the public form's fields.
    data = models.JSONField(_("提交的内容"))
    previous = models.JSONField(
        _("采纳前的内容"), null=True, blank=True, help_text=_("采纳时被替换的原登记内容")
    )
    status = models.CharField(
        _("处理状态"), max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("处理意见"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return str(_("%(unit)s的变更申请") % {"unit": self.data.get("unit_name", "")})


class UnitSurveyChange(ChangeRequest):
    record = models.ForeignKey(
        UnitSurvey,
        verbose_name=_("原登记"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )

    class Meta(ChangeRequest.Meta):
        verbose_name = _("摸排登记变更申请")
        verbose_name_plural = _("摸排登记变更申请")


class UnitCheckInChange(ChangeRequest):
    record = models.ForeignKey(
        UnitCheckIn,
        verbose_name=_("原登记"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )

    class Meta(ChangeRequest.Meta):
        verbose_name = _("报到登记变更申请")
        verbose_name_plural = _("报到登记变更申请")
