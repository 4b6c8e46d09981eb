"""Excel downloads of dashboard tables and score rankings (openpyxl)."""

from io import BytesIO

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_response(workbook, filename):
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def rows_workbook(title, header, rows, caption=None):
    """A workbook of one sheet: an optional caption line, a bold header, the rows."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = title[:31]
    if caption:
        ws.append([caption])
        ws["A1"].font = Font(bold=True)
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.column_dimensions["A"].width = 24
    return workbook


def table_workbook(table, caption=None):
    """One sheet: the row heading and columns, then one line per row."""
    return rows_workbook(
        table.title,
        [table.row_heading, *table.columns],
        [[label, *values] for label, values in table.rows],
        caption,
    )
