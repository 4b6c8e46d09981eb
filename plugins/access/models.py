"""Part-time member appointments (兼职委员任职).

An appointment in term gives its user the Editor role on its assigned unit pages.
Those rights are not stored as grants: the page permission policy reads the
appointments that are in term *today*, so a term ends the day after its end date
without a scheduled job, and a removal takes effect on the next request.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState

from gongjian_site import clock
from plugins.orgs.api import STAFF_GROUP
from plugins.orgs.models import CommunityPage, StreetPage

TERM_YEARS = 3


def add_years(day, years):
    """``day`` moved by ``years``; 29 February becomes 28 February in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def default_end(start):
    """The last day of a three-year term starting on ``start`` (任期一般为三年)."""
    return add_years(start, TERM_YEARS) - timedelta(days=1)


class AppointmentRole(models.TextChoices):
    PART_TIME_MEMBER = "part_time_member", _("兼职委员")
    LIAISON = "liaison", _("联络员")


class AppointmentStatus(models.TextChoices):
    ACTIVE = "active", _("在任")
    ENDED = "ended", _("任期届满")
    REMOVED = "removed", _("已免职")


class RemovalReason(models.TextChoices):
    TERM_NOT_RENEWED = "term_not_renewed", _("届满未续任")
    FAILED_DUTIES = "failed_duties", _("不认真履职")
    DISCIPLINE = "discipline", _("违纪违法")
    TRANSFER = "transfer", _("工作调动")
    OTHER = "other", _("其他")


class AppointmentQuerySet(models.QuerySet):
    def in_term(self, today=None):
        """Appointments that give rights on ``today``: active, started, not past their end."""
        today = today or clock.today()
        return self.filter(
            status=AppointmentStatus.ACTIVE, start_date__lte=today, end_date__gte=today
        )

    def ending_within(self, days, today=None):
        today = today or clock.today()
        return self.in_term(today).filter(end_date__lte=today + timedelta(days=days))

    def ended(self, today=None):
        """Terms that ran out (whether or not ``expire_appointments`` has tidied them)."""
        today = today or clock.today()
        return self.filter(
            Q(status=AppointmentStatus.ENDED)
            | Q(status=AppointmentStatus.ACTIVE, end_date__lt=today)
        )

    def removed(self):
        return self.filter(status=AppointmentStatus.REMOVED)


class Appointment(models.Model):
    """A person's appointment from a resident unit to a street or community committee."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    committee = models.ForeignKey(
        "orgs.OrganisationPage",
        verbose_name=_("任职党组织"),
        on_delete=models.PROTECT,
        related_name="appointments",
        help_text=_("街道党工委或社区大党委"),
    )
    source_unit = models.ForeignKey(
        "orgs.ResidentUnitPage",
        verbose_name=_("原单位"),
        on_delete=models.PROTECT,
        related_name="appointments_from",
    )
    role = models.CharField(
        _("职务"),
        max_length=32,
        choices=AppointmentRole.choices,
        default=AppointmentRole.PART_TIME_MEMBER,
    )
    division_of_work = models.CharField(_("分工"), max_length=255, blank=True)
    assigned_units = models.ManyToManyField(
        "orgs.ResidentUnitPage",
        verbose_name=_("负责的单位"),
        blank=True,
        related_name="assigned_appointments",
        help_text=_("任期内可编辑这些单位的页面；不填则为原单位"),
    )
    start_date = models.DateField(_("任期开始"))
    end_date = models.DateField(_("任期结束"), blank=True, help_text=_("不填则为三年任期"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.ACTIVE,
        editable=False,
    )
    removal_reason = models.CharField(
        _("免职原因"), max_length=32, choices=RemovalReason.choices, blank=True, editable=False
    )
    removal_note = models.TextField(_("免职说明"), blank=True, editable=False)
    removal_decided_on = models.DateField(_("免职决定日期"), null=True, blank=True, editable=False)
    filing_reference = models.CharField(
        _("报上级备案文号"), max_length=120, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("兼职委员任职")
        verbose_name_plural = _("兼职委员任职")
        ordering = ["-start_date", "pk"]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.committee.title}"

    def save(self, *args, **kwargs):
        if self.start_date and not self.end_date:
            self.end_date = default_end(self.start_date)
        super().save(*args, **kwargs)
        # An appointee must be able to sign in to the admin to use their rights; the
        # staff group gives admin access and nothing else (orgs' profile).
        from django.contrib.auth.models import Group

        staff = Group.objects.filter(name=STAFF_GROUP).first()
        if staff is not None:
            self.user.groups.add(staff)

    def clean(self):
        errors = {}
        if self.user_id and not self.user.is_active:
            errors["user"] = _("用户“%(name)s”已停用，不能任职。") % {"name": self.user}
        if self.committee_id and self.committee.specific_class not in (StreetPage, CommunityPage):
            errors["committee"] = _("任职党组织必须是街道党工委或社区大党委。")
        if self.start_date and not self.end_date:
            self.end_date = default_end(self.start_date)
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("任期结束日期不能早于开始日期。")
        elif self.user_id and self.committee_id and self.start_date and self.end_date:
            overlapping = (
                Appointment.objects.filter(user_id=self.user_id, committee_id=self.committee_id)
                .exclude(status=AppointmentStatus.REMOVED)
                .exclude(pk=self.pk)
                .filter(start_date__lte=self.end_date, end_date__gte=self.start_date)
                .first()
            )
            if overlapping:
                errors["start_date"] = _(
                    "该用户在同一党组织已有重叠的任职（%(start)s 至 %(end)s）。"
                ) % {"start": overlapping.start_date, "end": overlapping.end_date}
        if errors:
            raise ValidationError(errors)

    # --- State --------------------------------------------------------------

    def is_in_term(self, today=None):
        today = today or clock.today()
        return self.status == AppointmentStatus.ACTIVE and self.start_date <= today <= self.end_date

    def state_label(self, today=None):
        """What the listing shows: 在任 / 即将届满 / 任期届满 / 已免职 / 未开始."""
        today = today or clock.today()
        if self.status == AppointmentStatus.REMOVED:
            return _("已免职")
        if self.status == AppointmentStatus.ENDED or self.end_date < today:
            return _("任期届满")
        if self.start_date > today:
            return _("未开始")
        if self.end_date <= today + timedelta(days=90):
            return _("即将届满")
        return _("在任")

    def remove(self, *, reason, decided_on, filing_reference="", note="", by=None):
        """免职: takes effect at once (the policy reads the status); the record stays."""
        self.status = AppointmentStatus.REMOVED
        self.removal_reason = reason
        self.removal_decided_on = decided_on
        self.filing_reference = filing_reference
        self.removal_note = note
        self.save()
        _log(self, "gongjian.appointment_remove", by, {
            "reason": reason, "decided_on": decided_on.isoformat(),
            "filing_reference": filing_reference,
        })  # fmt: skip

    def renew(self, *, years=TERM_YEARS, by=None):
        """续任: the next term follows on from the current end date."""
        previous = self.end_date
        self.end_date = add_years(self.end_date + timedelta(days=1), years) - timedelta(days=1)
        self.status = AppointmentStatus.ACTIVE
        self.save()
        _log(self, "gongjian.appointment_renew", by, {
            "previous_end": previous.isoformat(), "end": self.end_date.isoformat(),
        })  # fmt: skip

    def units(self):
        """Assigned units, or the source unit when none were named."""
        units = list(self.assigned_units.all())
        return units or [self.source_unit]


def _log(instance, action, user, data):
    from wagtail.log_actions import log

    log(instance=instance, action=action, user=user, data=data)


class UnitCollection(models.Model):
    """The media collection that belongs to one resident unit or community page."""

    page = models.OneToOneField(
        "orgs.OrganisationPage",
        verbose_name=_("组织页面"),
        on_delete=models.CASCADE,
        related_name="unit_collection",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("图片与文档集合"),
        on_delete=models.CASCADE,
        related_name="unit_page",
    )

    class Meta:
        verbose_name = _("单位图片与文档集合")
        verbose_name_plural = _("单位图片与文档集合")

    def __str__(self):
        return str(self.collection)


class LocalReviewTask(Task):
    """审核 by whoever holds publish rights on the page (a Reviewer there or above).

    Wagtail's own approval task names fixed groups, so a community secretary holding
    the Reviewer role on her community only could never approve what her members
    submit; this task asks the page permission policy instead."""

    def _can_review(self, obj, user):
        if not user.is_active:
            return False
        if user.is_superuser:
            return True
        if not isinstance(obj, Page):
            return False
        # The grant, not ``can_publish``: that one is held back until the user may act
        # on the workflow's last step, which may be this very step.
        from wagtail.permissions import policy_registry

        return policy_registry.get(obj).user_holds_grant_for_instance(user, "publish", obj)

    def user_can_access_editor(self, obj, user):
        return self._can_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self._can_review(obj, user)

    def user_can_lock(self, obj, user):
        return self._can_review(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if self._can_review(obj, user):
            return [
                ("reject", _("退回修改"), True),
                ("approve", _("审核通过"), False),
                ("approve", _("审核通过并附意见"), True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if not user.is_active:
            return states.none()
        if user.is_superuser:
            return states
        from wagtail.permissions import policy_registry

        pages = policy_registry.get_by_type(Page).instances_user_has_permission_for(user, "publish")
        return states.filter(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
            workflow_state__object_id__in=pages.annotate(
                str_pk=Cast("pk", output_field=models.CharField())
            ).values("str_pk"),
        )

    @classmethod
    def get_description(cls):
        return _("由该页面或其上级页面的“审核”角色审核")

    class Meta:
        verbose_name = _("本级审核任务")
        verbose_name_plural = _("本级审核任务")
