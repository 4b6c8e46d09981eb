"""出席记录 as .xlsx: the 会议出席率 report's rows, one per member per meeting.

The download is the report's own data under the report's own rule: the attendance
rows the attendance policy lets the user read (``visible_attendances``), the year and
unit chosen on the page, and a unit outside the user's rows answers 403 here too.
The first sheet lists every attendance (meeting, date, committee, name, unit,
出席 是/否, reason); the second the yearly rates the page shows. Cells go through
``safe_cell``; the sign-in phone numbers are never exported.
"""

from io import BytesIO

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from wagtail.models import Page

from gongjian_site.params import id_param, int_param
from gongjian_site.spreadsheets import safe_row
from plugins.orgs.models import ResidentUnitPage

from .stats import counted_meetings, member_rates
from .views import visible_attendances

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(workbook, title, header, rows, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(safe_row(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))
    sheet.freeze_panes = "A2"
    return sheet


def attendance_export(request):
    today = timezone.localdate()
    year = int_param(request, "year", today.year, minimum=2000, maximum=today.year + 1)
    rows = visible_attendances(request.user)
    unit = None
    if request.GET.get("unit"):
        unit_id = id_param(request, "unit")
        unit = ResidentUnitPage.objects.filter(pk=unit_id).first() if unit_id else None
        if unit is None or not rows.filter(source_unit=unit).exists():
            raise PermissionDenied
        rows = rows.filter(source_unit=unit)
    records = list(
        rows.filter(meeting__in=counted_meetings(today).filter(date__year=year))
        .select_related("meeting", "source_unit")
        .order_by("meeting__date", "meeting__path", "sort_order")
    )
    steplen = Page.steplen
    paths = {record.meeting.path[: -2 * steplen] for record in records}
    committees = dict(Page.objects.filter(path__in=paths).values_list("path", "title"))
    workbook = Workbook()
    date_cells = _sheet(
        workbook,
        _("出席记录"),
        [
            _("会议"),
            _("会议类型"),
            _("会议日期"),
            _("任职党组织"),
            _("姓名"),
            _("原单位"),
            _("出席"),
            _("缺席原因"),
        ],  # fmt: skip
        [
            [
                record.meeting.title,
                record.meeting.get_kind_display(),
                record.meeting.date,
                committees.get(record.meeting.path[: -2 * steplen], ""),
                record.person_name,
                record.source_unit.title if record.source_unit else "",
                _("是") if record.present else _("否"),
                record.absence_reason,
            ]
            for record in records
        ],
        first=True,
    )
    for (cell,) in date_cells.iter_rows(min_row=2, min_col=3, max_col=3):
        cell.number_format = "yyyy-mm-dd"
    _sheet(
        workbook,
        _("出席率"),
        [_("姓名"), _("原单位"), _("任职党组织"), _("应出席"), _("实际出席"), _("出席率（%）")],
        [
            [p.person_name, p.unit_title, p.committee_title, p.expected, p.present, p.percent]
            for p in member_rates(rows, year, today)
        ],
    )
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"会议出席记录-{year}" + (f"-{unit.title}" if unit else "") + ".xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
