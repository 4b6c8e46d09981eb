"""Excel downloads of dashboard tables and score rankings (openpyxl).

Cells go through ``gongjian_site.spreadsheets.safe_cell`` (unit and page titles are
typed by editors: no formula may run, no stored control character may break the file).
"""

import re
from io import BytesIO

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font

from gongjian_site.spreadsheets import safe_cell, safe_row, safe_text

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
    # Sheet names may not hold []:*?/\ either; openpyxl would refuse them.
    ws.title = re.sub(r"[\[\]:*?/\\]", " ", safe_text(str(title))).strip("'")[:31] or "Sheet1"
    if caption:
        ws.append([safe_cell(caption)])
        ws["A1"].font = Font(bold=True)
    ws.append(safe_row(header))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(safe_row(row))
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
