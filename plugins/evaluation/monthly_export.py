"""月报表 as .xlsx: a year's reports of the streets the user may see, one row a month.

The same streets as the 月报表 page (the monthly reports' policy, ``view`` on the
street), the same statuses (按时报送 / 逾期报送 / 逾期未报 / 待报送), then one column
per report item (the districts' 月报表项目, in their order) and the district's 月讲评.
Months that have not begun are left out. Someone who may see no street gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian_site.names import full_name
from plugins.orgs.models import DistrictPage, StreetPage

from .admin_views import parse_year
from .excel import rows_workbook, workbook_response
from .models import MonthlyAnswer, MonthlyItem, MonthlyReport
from .models.monthly import month_status


def _policy():
    from plugins.access.api import record_policy

    return record_policy(MonthlyReport)


def monthly_export(request):
    year = parse_year(request.GET.get("year"))
    policy = _policy()
    streets = [
        street
        for street in StreetPage.objects.order_by("path")
        if policy.user_has_permission_for_page(request.user, "view", street)
    ]
    if not streets:
        raise PermissionDenied
    reports = {
        (r.street_id, r.month): r
        for r in MonthlyReport.objects.filter(year=year, street__in=streets).select_related(
            "submitted_by", "commented_by"
        )
    }
    answers = {
        (a.report_id, a.item_id): a.value
        for a in MonthlyAnswer.objects.filter(report__in=[r.pk for r in reports.values()])
    }
    districts = DistrictPage.objects.none()
    for street in streets:
        districts |= DistrictPage.objects.ancestor_of(street)
    items = list(
        MonthlyItem.objects.filter(district__in=districts).select_related("district")
        .order_by("district__path", "sort_order", "pk")
    )  # fmt: skip
    header = [_("街道"), _("年度"), _("月份"), _("报送情况"), _("报送时间"), _("报送人")]
    header += [str(item) for item in items] + [_("月讲评"), _("讲评人")]
    today = timezone.localdate()
    rows = []
    for street in streets:
        for month in range(1, 13):
            report = reports.get((street.pk, month))
            key, label = month_status(report, year, month, today)
            if key == "future":
                continue
            submitted = report.submitted_at if report else None
            rows.append([
                street.title, year, month, label,
                timezone.localtime(submitted).replace(tzinfo=None) if submitted else None,
                full_name(report.submitted_by) if report and report.submitted_by else "",
                *[answers.get((report.pk, item.pk), "") if report else "" for item in items],
                report.comment if report else "",
                full_name(report.commented_by) if report and report.commented_by else "",
            ])  # fmt: skip
    workbook = rows_workbook(_("月报表"), header, rows, _("%(y)s年月报表") % {"y": year})
    for (cell,) in workbook.active.iter_rows(min_row=3, min_col=5, max_col=5):
        cell.number_format = "yyyy-mm-dd hh:mm"
    return workbook_response(workbook, f"月报表-{year}.xlsx")
