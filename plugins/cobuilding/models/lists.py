"""The three lists (需求/资源/项目) and two-way claiming (双向认领)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian_site import clock


def this_year():
    return clock.today().year


class Category(models.TextChoices):
    """What a need asks for / a resource offers (seed 000: 党建、行政、社会、资金; 场地、人才 …)."""

    PARTY = "party", _("党建")
    ADMINISTRATIVE = "administrative", _("行政")
    SOCIAL = "social", _("社会")
    FUNDS = "funds", _("资金")
    VENUE = "venue", _("场地")
    TALENT = "talent", _("人才")
    PUBLICITY = "publicity", _("宣传")
    EDUCATION = "education", _("教育")
    MEDICAL = "medical", _("医疗")


YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class CommunityYearRecord(models.Model):
    community = models.ForeignKey(
        "orgs.CommunityPage", verbose_name=_("社区"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"), default=this_year,
                                            validators=YEAR_VALIDATORS)  # fmt: skip

    class Meta:
        abstract = True


# --- 需求清单 -------------------------------------------------------------------


class NeedStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    OPEN = "open", _("待认领")
    CLAIMED = "claimed", _("已认领")
    IN_PROGRESS = "in_progress", _("实施中")
    DONE = "done", _("已完成")
    REJECTED = "rejected", _("未采纳")


#: Needs the public (and unit members) may see: moderated and not turned down.
PUBLIC_NEED_STATUSES = (NeedStatus.OPEN, NeedStatus.CLAIMED, NeedStatus.IN_PROGRESS,
                        NeedStatus.DONE)  # fmt: skip


class NeedSource(models.TextChoices):
    COMMUNITY = "community", _("社区收集")
    RESIDENT = "resident", _("居民提交")


class Need(CommunityYearRecord):
    """需求: collected from residents by the community (or sent in through the public form)."""

    title = models.CharField(_("需求名称"), max_length=120)
    description = models.TextField(_("需求描述"), blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    raised_by = models.CharField(_("提出人"), max_length=60,
                                 help_text=_("如：居民、网格、楼栋党小组；公示时显示"))  # fmt: skip
    raised_on = models.DateField(_("提出日期"), default=clock.today)
    status = models.CharField(_("状态"), max_length=20, choices=NeedStatus.choices,
                              default=NeedStatus.OPEN)  # fmt: skip
    source = models.CharField(_("来源"), max_length=20, choices=NeedSource.choices,
                              default=NeedSource.COMMUNITY)  # fmt: skip
    # Never shown publicly: only the community's staff call back.
    contact_phone = models.CharField(_("联系电话（不公开）"), max_length=20, blank=True)
    moderation_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = _("需求清单")
        ordering = ["-year", "-raised_on", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_public(self):
        return self.status in PUBLIC_NEED_STATUSES


# --- 资源清单 -------------------------------------------------------------------


class ResourceStatus(models.TextChoices):
    OPEN = "open", _("可认领")
    MATCHED = "matched", _("已对接")
    WITHDRAWN = "withdrawn", _("已撤回")


class Resource(CommunityYearRecord):
    """资源: what a resident unit offers the community it co-builds with."""

    unit = models.ForeignKey("orgs.ResidentUnitPage", verbose_name=_("提供单位"),
                             on_delete=models.CASCADE, related_name="+")  # fmt: skip
    title = models.CharField(_("资源名称"), max_length=120)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    description = models.TextField(_("资源描述"), blank=True)
    capacity = models.CharField(_("服务能力"), max_length=80, blank=True,
                                help_text=_("如：每次可服务 50 人"))  # fmt: skip
    frequency = models.CharField(_("提供频次"), max_length=80, blank=True,
                                 help_text=_("如：每月一次"))  # fmt: skip
    status = models.CharField(_("状态"), max_length=20, choices=ResourceStatus.choices,
                              default=ResourceStatus.OPEN)  # fmt: skip

    class Meta:
        verbose_name = _("资源")
        verbose_name_plural = _("资源清单")
        ordering = ["-year", "unit__title", "pk"]

    def __str__(self):
        return self.title


# --- 项目清单 -------------------------------------------------------------------


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("未开始")
    ACTIVE = "active", _("实施中")
    DONE = "done", _("已完成")
    SUSPENDED = "suspended", _("已中止")


class Project(CommunityYearRecord):
    """项目: needs matched with resources, the year's co-building targets."""

    title = models.CharField(_("项目名称"), max_length=120)
    description = models.TextField(_("项目内容"), blank=True)
    unit = models.ForeignKey("orgs.ResidentUnitPage", verbose_name=_("牵头单位"),
                             on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")  # fmt: skip
    needs = models.ManyToManyField(Need, verbose_name=_("对应需求"), blank=True,
                                   related_name="projects")  # fmt: skip
    resources = models.ManyToManyField(Resource, verbose_name=_("使用资源"), blank=True,
                                       related_name="projects")  # fmt: skip
    target_date = models.DateField(_("计划完成日期"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("进度（%）"), default=0, validators=[MaxValueValidator(100)],
        help_text=_("由最新一条进展自动更新"),
    )  # fmt: skip
    status = models.CharField(_("状态"), max_length=20, choices=ProjectStatus.choices,
                              default=ProjectStatus.PLANNED)  # fmt: skip
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目清单")
        ordering = ["-year", "status", "target_date", "pk"]

    def __str__(self):
        return self.title

    def refresh_progress(self):
        """Take percent (and status) from the latest dated update; 100% completes it."""
        latest = self.updates.order_by("-date", "-pk").first()
        if latest is None:
            return
        self.progress = latest.percent
        if latest.percent >= 100:
            self.status = ProjectStatus.DONE
            self.completed_on = self.completed_on or latest.date
        elif self.status in (ProjectStatus.PLANNED, ProjectStatus.DONE):
            self.status = ProjectStatus.ACTIVE
            self.completed_on = None
        self.save(update_fields=["progress", "status", "completed_on"])
        need_status = (
            NeedStatus.DONE if self.status == ProjectStatus.DONE else NeedStatus.IN_PROGRESS
        )
        self.needs.exclude(status=NeedStatus.REJECTED).update(status=need_status)


class ProgressUpdate(models.Model):
    """A dated step of a project, with its percent done."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("日期"), default=clock.today)
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"),
                                               validators=[MaxValueValidator(100)])  # fmt: skip
    note = models.CharField(_("进展说明"), max_length=300)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")  # fmt: skip

    class Meta:
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date} {self.percent}%"


# --- 双向认领 -------------------------------------------------------------------


class ClaimKind(models.TextChoices):
    NEED = "need", _("单位认领需求")
    RESOURCE = "resource", _("社区认领资源")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已婉拒")


class Claim(CommunityYearRecord):
    """A unit claims a need, or a community claims a resource; the other side decides.

    Accepting makes a ``Project``; declining needs a reason."""

    kind = models.CharField(_("认领方式"), max_length=20, choices=ClaimKind.choices)
    unit = models.ForeignKey("orgs.ResidentUnitPage", verbose_name=_("单位"),
                             on_delete=models.CASCADE, related_name="+")  # fmt: skip
    need = models.ForeignKey(Need, verbose_name=_("需求"), on_delete=models.CASCADE, null=True,
                             blank=True, related_name="claims")  # fmt: skip
    resource = models.ForeignKey(Resource, verbose_name=_("资源"), on_delete=models.CASCADE,
                                 null=True, blank=True, related_name="claims")  # fmt: skip
    plan = models.TextField(_("认领说明"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ClaimStatus.choices,
                              default=ClaimStatus.PENDING)  # fmt: skip
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("认领人"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")  # fmt: skip
    claimed_at = models.DateTimeField(_("认领时间"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decline_reason = models.CharField(_("婉拒理由"), max_length=300, blank=True)
    project = models.ForeignKey(Project, verbose_name=_("形成项目"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="claims")  # fmt: skip

    class Meta:
        verbose_name = _("认领")
        verbose_name_plural = _("双向认领")
        ordering = ["-claimed_at", "-pk"]

    def __str__(self):
        subject = self.need or self.resource
        return f"{self.unit.title} · {subject}" if subject else str(self.unit.title)

    def clean(self):
        if self.kind == ClaimKind.NEED and not self.need_id:
            raise ValidationError({"need": _("单位认领需求时必须选择需求。")})
        if self.kind == ClaimKind.RESOURCE and not self.resource_id:
            raise ValidationError({"resource": _("社区认领资源时必须选择资源。")})

    @property
    def subject(self):
        return self.need if self.kind == ClaimKind.NEED else self.resource
