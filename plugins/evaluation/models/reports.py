"""Part-time members' annual reports (述职) and their rating rounds (测评).

A rater votes through a personal link that needs no account (``tokens.py``). The
ballot is secret: a vote (``RatingVote``) does not point at its rater; the rater row
only records *that* it voted, claimed with one conditional UPDATE so that the same
link can never vote twice, even from two requests at once.
"""

import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from plugins.access.models import Appointment, AppointmentStatus

from ..grading import Grade, grade_for


def appointment_in_year(user, committee, year):
    """The user's appointment to ``committee`` that overlaps ``year``, or None.

    A removed appointment counts only up to its removal date."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    candidates = Appointment.objects.filter(
        user=user, committee=committee, start_date__lte=last, end_date__gte=first
    ).order_by("-start_date", "-pk")
    return in_post_during(candidates, year)


def in_post_during(candidates, year):
    """The first of ``candidates`` (one user's appointments to one committee that overlap
    ``year``, newest first) not removed before the year began, or None."""
    first = date(year, 1, 1)
    for appointment in candidates:
        removed_on = appointment.removal_decided_on
        if appointment.status == AppointmentStatus.REMOVED and removed_on and removed_on < first:
            continue
        return appointment
    return None


class AnnualReport(ClusterableModel):
    """述职报告: one per member, committee and year, for a year the member served."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("述职人"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    committee = models.ForeignKey(
        "orgs.OrganisationPage",
        verbose_name=_("任职党组织"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200, blank=True)
    body = RichTextField(_("述职内容"))
    appointment = models.ForeignKey(
        "access.Appointment",
        verbose_name=_("任职"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
        editable=False,
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    panels = [
        FieldPanel("user"),
        FieldPanel("committee"),
        FieldPanel("year"),
        FieldPanel("title"),
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("附件"), label=_("附件")),
    ]

    class Meta:
        verbose_name = _("述职报告")
        verbose_name_plural = _("述职报告")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "committee", "year"], name="evaluation_one_report_a_year"
            )
        ]

    def __str__(self):
        return self.title or f"{self.person_name} {self.year}年度述职报告"

    @property
    def person_name(self):
        return self.user.get_full_name() or self.user.username

    def clean(self):
        if not (self.user_id and self.committee_id and self.year):
            return
        if not 2000 <= self.year <= 2100:
            raise ValidationError({"year": _("请填写正确的年度，如 2025。")})
        appointment = appointment_in_year(self.user, self.committee, self.year)
        if appointment is None:
            raise ValidationError(
                {
                    "year": _(
                        "%(person)s %(year)s 年没有在%(committee)s的任职记录，"
                        "不能提交该年度的述职报告。"
                    )
                    % {
                        "person": self.user.get_full_name() or self.user.username,
                        "year": self.year,
                        "committee": self.committee.title,
                    }
                }
            )
        self.appointment = appointment
        duplicate = AnnualReport.objects.filter(
            user_id=self.user_id, committee_id=self.committee_id, year=self.year
        ).exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError({"year": _("该委员本年度在该党组织的述职报告已存在。")})

    def save(self, *args, **kwargs):
        if not self.appointment_id:
            self.appointment = appointment_in_year(self.user, self.committee, self.year)
            if self.appointment is None:
                raise ValidationError(_("该年度没有任职记录，不能保存述职报告。"))
        super().save(*args, **kwargs)


class ReportAttachment(Orderable):
    report = ParentalKey(AnnualReport, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("文件"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")


class RaterKind(models.TextChoices):
    COMMITTEE = "committee", _("党组织班子成员")
    PARTY_MEMBER = "party_member", _("党员代表")
    RESIDENT = "resident", _("群众代表")


def new_nonce():
    return secrets.token_urlsafe(16)


class RatingRound(ClusterableModel):
    """测评: invited raters vote on one annual report until the round closes."""

    report = models.OneToOneField(
        AnnualReport,
        verbose_name=_("述职报告"),
        on_delete=models.PROTECT,
        related_name="rating_round",
    )
    closes_at = models.DateTimeField(_("截止时间"), help_text=_("此后投票链接失效"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True, editable=False)
    excellent = models.PositiveIntegerField(_("优秀票"), default=0, editable=False)
    competent = models.PositiveIntegerField(_("称职票"), default=0, editable=False)
    basic = models.PositiveIntegerField(_("基本称职票"), default=0, editable=False)
    incompetent = models.PositiveIntegerField(_("不称职票"), default=0, editable=False)
    invited = models.PositiveIntegerField(_("应参评人数"), default=0, editable=False)
    grade = models.CharField(
        _("测评结果"), max_length=16, choices=Grade.choices, blank=True, editable=False
    )
    removal_flagged = models.BooleanField(
        _("需启动免职程序"),
        default=False,
        editable=False,
        help_text=_("测评结果为不称职：请按程序研究决定并报上级备案后办理免职"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    panels = [
        FieldPanel("report"),
        FieldPanel("closes_at"),
        InlinePanel("raters", heading=_("参评人员"), label=_("参评人"), min_num=1),
    ]

    class Meta:
        verbose_name = _("述职测评")
        verbose_name_plural = _("述职测评")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.report} · 测评"

    def clean(self):
        if self.closes_at and self.closed_at is None and self.closes_at <= timezone.now():
            raise ValidationError({"closes_at": _("截止时间必须晚于当前时间。")})

    @property
    def is_closed(self):
        return self.closed_at is not None or timezone.now() >= self.closes_at

    def live_counts(self):
        """{Grade: votes} counted from the ballots (one query)."""
        counts = dict.fromkeys(Grade, 0)
        for row in self.votes.values("grade").annotate(n=models.Count("pk")):
            counts[Grade(row["grade"])] = row["n"]
        return counts

    def counts(self):
        return {
            Grade.EXCELLENT: self.excellent,
            Grade.COMPETENT: self.competent,
            Grade.BASIC: self.basic,
            Grade.INCOMPETENT: self.incompetent,
        }

    @property
    def votes_cast(self):
        return self.excellent + self.competent + self.basic + self.incompetent

    def close(self, by=None, now=None):
        """End the round: store the counts and the grade; flag 不称职 for removal."""
        with transaction.atomic():
            locked = RatingRound.objects.select_for_update().get(pk=self.pk)
            counts = locked.live_counts()
            self.excellent = counts[Grade.EXCELLENT]
            self.competent = counts[Grade.COMPETENT]
            self.basic = counts[Grade.BASIC]
            self.incompetent = counts[Grade.INCOMPETENT]
            self.invited = locked.raters.count()
            self.grade = grade_for(counts, self.invited) or ""
            self.removal_flagged = self.grade == Grade.INCOMPETENT
            self.closed_at = locked.closed_at or now or timezone.now()
            self.save()
        from wagtail.log_actions import log

        log(
            instance=self,
            action="wagtail.edit",
            user=by,
            data={"grade": self.grade, "votes": self.votes_cast},
        )


class RatingRater(Orderable):
    """One invited rater and their personal link; knows whether, never how, they voted."""

    round = ParentalKey(RatingRound, on_delete=models.CASCADE, related_name="raters")
    name = models.CharField(_("姓名"), max_length=50)
    kind = models.CharField(_("类别"), max_length=16, choices=RaterKind.choices)
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    voted_at = models.DateTimeField(_("投票时间"), null=True, blank=True, editable=False)

    panels = [FieldPanel("name"), FieldPanel("kind")]

    class Meta(Orderable.Meta):
        verbose_name = _("参评人")
        verbose_name_plural = _("参评人")

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"

    def vote_path(self):
        from ..tokens import vote_path

        return vote_path(self)


class RatingVote(models.Model):
    """One ballot; deliberately without a link to its rater (secret ballot)."""

    round = models.ForeignKey(RatingRound, on_delete=models.CASCADE, related_name="votes")
    grade = models.CharField(_("评价"), max_length=16, choices=Grade.choices)
    comment = models.TextField(_("意见建议"), blank=True)
    cast_at = models.DateTimeField(_("投票时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("测评票")
        verbose_name_plural = _("测评票")

    def __str__(self):
        return self.get_grade_display()
