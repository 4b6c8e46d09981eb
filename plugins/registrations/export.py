"""Excel export of a registration table in the layout of the paper form.

Every cell goes through ``gongjian_site.spreadsheets.safe_cell``: the rows are what
anonymous visitors typed, so a name like ``=HYPERLINK(...)`` is written as text, and
control characters stored before the forms refused them cannot break the file.
"""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from gongjian_site.spreadsheets import safe_cell, safe_row

DATE_FORMAT = "yyyy-mm-dd hh:mm"


def table_workbook(table, records):
    """An .xlsx (bytes) of ``records``: the form's title on row 1, headers on row 2,
    one record per row from row 3, numbered 1, 2, 3 ... in the 序号 column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(table.title)[:31]
    headers = table.headers()
    sheet.append([safe_cell(table.title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, record in enumerate(records, start=1):
        sheet.append(safe_row([number, *table.row(record)]))
        for cell in sheet[sheet.max_row]:
            if hasattr(cell.value, "hour"):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str):
                # Credit codes and phone numbers stay text (no 9.1E+17).
                cell.number_format = "@"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(8, len(header) * 2 + 4)
    sheet.freeze_panes = "B3"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
