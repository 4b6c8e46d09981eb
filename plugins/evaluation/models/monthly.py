"""月报表: monthly progress reports of each street, on items the district defines.

Due-date rule (月报次月5日前报送): the report for a month is due by the end of the
5th day of the following month (local time). A report submitted later is marked
逾期; a month with no submitted report is 逾期未报 once its due date has passed.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

DUE_DAY = 5


def due_date(year, month):
    """The last on-time day of the report for ``year``-``month``."""
    return date(year + 1, 1, DUE_DAY) if month == 12 else date(year, month + 1, DUE_DAY)


class MonthlyItemKind(models.TextChoices):
    NUMBER = "number", _("数字")
    TEXT = "text", _("文字")


class MonthlyItem(models.Model):
    """One line of a district's monthly form (区委定义的月报项目)."""

    district = models.ForeignKey(
        "orgs.DistrictPage",
        verbose_name=_("区委"),
        on_delete=models.CASCADE,
        related_name="monthly_items",
    )
    label = models.CharField(_("项目"), max_length=120)
    kind = models.CharField(
        _("填写方式"), max_length=8, choices=MonthlyItemKind.choices, default=MonthlyItemKind.NUMBER
    )
    unit = models.CharField(_("计量单位"), max_length=16, blank=True, help_text=_("如：次、个、人"))
    help_text = models.CharField(_("填写说明"), max_length=255, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("启用"), default=True)

    panels = [
        FieldPanel(name)
        for name in ("district", "label", "kind", "unit", "help_text", "sort_order", "active")
    ]

    class Meta:
        verbose_name = _("月报表项目")
        verbose_name_plural = _("月报表项目")
        ordering = ["district__path", "sort_order", "pk"]

    def __str__(self):
        return f"{self.label}（{self.unit}）" if self.unit else self.label


class MonthlyReport(models.Model):
    """A street's report for one month, with the district's comment (月讲评)."""

    street = models.ForeignKey(
        "orgs.StreetPage",
        verbose_name=_("街道"),
        on_delete=models.CASCADE,
        related_name="monthly_reports",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("月讲评"), blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("讲评人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    commented_at = models.DateTimeField(_("讲评时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("月报表")
        verbose_name_plural = _("月报表")
        ordering = ["-year", "-month", "street__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "year", "month"], name="evaluation_month_once"
            )
        ]

    def __str__(self):
        return f"{self.street.title} {self.year}年{self.month}月月报"

    @property
    def due(self):
        return due_date(self.year, self.month)

    @property
    def is_late(self):
        """Submitted after the due date, or not submitted and the due date has passed."""
        if self.submitted_at is None:
            return timezone.localdate() > self.due
        return timezone.localtime(self.submitted_at).date() > self.due


def month_status(report, year, month, today=None):
    """(key, label) of a street's month in the overview grid."""
    today = today or timezone.localdate()
    due = due_date(year, month)
    if report is None or report.submitted_at is None:
        if today > due:
            return "missing", _("逾期未报")
        if date(year, month, 1) > today:
            return "future", ""
        return "open", _("待报送")
    if timezone.localtime(report.submitted_at).date() > due:
        return "late", _("逾期报送")
    return "on_time", _("按时报送")


class MonthlyAnswer(models.Model):
    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(MonthlyItem, on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(_("填报内容"), blank=True)

    class Meta:
        verbose_name = _("月报内容")
        verbose_name_plural = _("月报内容")
        constraints = [
            models.UniqueConstraint(fields=["report", "item"], name="evaluation_answer_once")
        ]

    def __str__(self):
        return f"{self.item}：{self.value}"
