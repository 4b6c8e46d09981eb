"""Agreements (共驻共建协议书) and the commitment cycle (签诺/亮诺/履诺/评诺)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian_site import clock

from .lists import CommunityYearRecord

# --- 共驻共建协议书 --------------------------------------------------------------

AGREEMENT_PREAMBLE = (
    "为进一步加强社区建设，推动社区和驻区单位党组织共同担负起加强基层党的建设、创新社会治理、"
    "推动城市发展的责任，实现党组织资源共享、文明共创、条块结合、协调联动的党建工作新局面，"
    "{community}与{unit}开展共建活动，经共同协商，现达成共建协议如下："
)

#: The eight standard clauses of seed 000, 附件4 (共驻共建协议书).
STANDARD_CLAUSES = [
    "驻区单位党组织要树立“驻在社区、服务社区、共建社区”的意识，积极支持和参与社区建设的各项工作。"
    "社区党组织要为驻区单位党组织提供政策和资源支持，帮助解决问题，化解矛盾。",
    "驻区单位和社区党组织负责人要亲自抓共驻共建工作，制定共建计划，定期了解共驻共建活动进展情况，"
    "并确定联络员负责共驻共建工作的具体事务。",
    "驻区单位党组织要积极参加区域党委会议、党建联席会等各种会议，以“大事共议、实事共办、要事共决、"
    "急事共商”为原则，分析社区建设现状，制定社区建设工作方案，协商解决驻区单位和社区居民共同关心的问题。",
    "社区和驻区单位党组织要以为民服务为核心，共同探索服务载体，拓宽服务渠道。驻区单位党组织要积极主动地"
    "参与社区服务型党组织建设，主动认领服务项目，同社区党组织一起，经常性地举办服务和公益性活动，"
    "尽最大的努力为社区居民办实事、解难题、做好事，要主动接受社区党组织的指导、组织和协调。",
    "驻区单位党组织要鼓励在职党员参与社区建设，到社区认领服务岗位，充分发挥在职党员在社区管理、"
    "社区服务、社区治安、社区文化等工作中的先锋模范作用。",
    "社区党组织和驻区单位党组织要实现资源共享，软、硬件设施在条件允许的情况下要相互共享。"
    "驻区单位党组织要充分发挥在人才、场地、宣传、教育和健康医疗等方面的资源优势，"
    "积极服务于社区党建和社区建设。",
    "共建双方要结合实际，创造性地开展结对共建活动，在活动中积极探索好的做法，及时总结推广，"
    "促进共驻共建活动进一步发展。",
    "本协议一式两份，共驻共建双方各执一份，经双方签字后生效。",
]


def default_clauses():
    """The standard clauses as the editable text: one numbered clause per line."""
    return "\n".join(f"{n}. {text}" for n, text in enumerate(STANDARD_CLAUSES, start=1))


class Agreement(CommunityYearRecord):
    """共驻共建协议书 between a community's and a resident unit's Party organisations."""

    unit = models.ForeignKey("orgs.ResidentUnitPage", verbose_name=_("驻区单位"),
                             on_delete=models.CASCADE, related_name="+")  # fmt: skip
    title = models.CharField(_("标题"), max_length=120, default="共驻共建协议书")
    community_party_organisation = models.CharField(
        _("社区党组织"), max_length=120, blank=True, help_text=_("留空则用社区名称")
    )
    unit_party_organisation = models.CharField(
        _("驻区单位党组织"), max_length=120, blank=True,
        help_text=_("留空则用单位的党组织名称"))  # fmt: skip
    preamble = models.TextField(_("前言"), blank=True,
                                help_text=_("留空则用标准前言"))  # fmt: skip
    clauses = models.TextField(_("协议条款"), default=default_clauses,
                               help_text=_("每行一条；已预填标准八条，可修改"))  # fmt: skip
    community_representative = models.CharField(_("社区党组织负责人"), max_length=40, blank=True)
    unit_representative = models.CharField(_("驻区单位党组织负责人"), max_length=40, blank=True)
    community_liaison = models.CharField(_("社区联络员"), max_length=40, blank=True)
    unit_liaison = models.CharField(_("单位联络员"), max_length=40, blank=True)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    valid_from = models.DateField(_("有效期自"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    renewal_reminder_days = models.PositiveSmallIntegerField(
        _("提前提醒续签（天）"), default=30)  # fmt: skip
    reminded_on = models.DateField(_("已提醒续签日期"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("共驻共建协议书")
        verbose_name_plural = _("共驻共建协议书")
        ordering = ["-year", "community__title", "unit__title"]

    def __str__(self):
        return f"{self.community_name} · {self.unit_name}"

    def clean(self):
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("有效期截止日期不能早于开始日期。")})

    @property
    def community_name(self):
        return self.community_party_organisation or self.community.title

    @property
    def unit_name(self):
        if self.unit_party_organisation:
            return self.unit_party_organisation
        return self.unit.party_organisation or self.unit.title

    def preamble_text(self):
        return self.preamble or AGREEMENT_PREAMBLE.format(
            community=self.community_name, unit=self.unit_name
        )

    def clause_list(self):
        return [line.strip() for line in self.clauses.splitlines() if line.strip()]

    @property
    def renewal_due_on(self):
        if not self.valid_until:
            return None
        return self.valid_until - timedelta(days=self.renewal_reminder_days)

    def needs_renewal(self, today=None):
        today = today or clock.today()
        due = self.renewal_due_on
        return due is not None and due <= today


# --- 签诺 / 亮诺 / 履诺 / 评诺 ----------------------------------------------------


class CommitmentParty(models.TextChoices):
    UNIT = "unit", _("驻区单位")
    COMMUNITY = "community", _("社区")


class Commitment(CommunityYearRecord):
    """签诺: one promise under an agreement; 亮诺 when public; scored at year end (评诺)."""

    agreement = models.ForeignKey(Agreement, verbose_name=_("协议"), on_delete=models.CASCADE,
                                  related_name="commitments")  # fmt: skip
    unit = models.ForeignKey(
        "orgs.ResidentUnitPage",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
    )
    party = models.CharField(_("承诺方"), max_length=20, choices=CommitmentParty.choices,
                             default=CommitmentParty.UNIT)  # fmt: skip
    content = models.CharField(_("承诺事项"), max_length=300)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    is_public = models.BooleanField(_("公开亮诺"), default=True)
    score = models.PositiveSmallIntegerField(_("评诺得分"), null=True, blank=True,
                                             validators=[MaxValueValidator(100)])  # fmt: skip
    score_comment = models.CharField(_("评诺意见"), max_length=300, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    scored_on = models.DateField(_("评诺日期"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("承诺")
        verbose_name_plural = _("承诺（签诺/亮诺/履诺/评诺）")
        ordering = ["-year", "agreement", "pk"]

    def __str__(self):
        return self.content

    def get_is_public_display(self):
        """是/否 where the admin would show True/False (inspect view) or Django admin's
        icon image, which this site does not serve (list column)."""
        return _("是") if self.is_public else _("否")

    get_is_public_display.short_description = _("公开亮诺")
    get_is_public_display.admin_order_field = "is_public"

    def save(self, *args, **kwargs):
        # Scope fields follow the agreement, so permissions need no join.
        if self.agreement_id:
            self.community_id = self.agreement.community_id
            self.unit_id = self.agreement.unit_id
        super().save(*args, **kwargs)


class Fulfilment(models.Model):
    """履诺: a dated record of what was done for a commitment, with its evidence."""

    commitment = models.ForeignKey(Commitment, verbose_name=_("承诺"), on_delete=models.CASCADE,
                                   related_name="fulfilments")  # fmt: skip
    date = models.DateField(_("日期"), default=clock.today)
    description = models.CharField(_("履诺情况"), max_length=300)
    evidence = models.ForeignKey("wagtaildocs.Document", verbose_name=_("佐证材料"),
                                 on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")  # fmt: skip
    evidence_note = models.CharField(_("佐证说明"), max_length=200, blank=True,
                                     help_text=_("如：活动记录、照片、签到表"))  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("履诺记录")
        verbose_name_plural = _("履诺记录")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date} {self.description}"
