"""Reading an uploaded .xlsx ledger (台账) without trusting it.

Offices keep their ledgers in Excel and upload them here; an upload may be anything:
an old .xls, a .csv renamed, a sheet full of formulas or merged cells, 100,000 rows,
or a zip bomb (a few KB that inflate to gigabytes). Whatever it is, the reader answers
with a Chinese sentence (``SheetError``, nothing imported) or with the rows, and never
with a 500. The limits are checked before openpyxl parses anything:

- the upload is at most ``MAX_UPLOAD_BYTES`` and must be a zip holding ``xl/workbook.xml``;
- its members together inflate to at most ``MAX_INFLATED_BYTES`` and none more than
  ``MAX_RATIO`` times (ordinary sheets compress 5-20 times, bombs thousands);
- at most ``MAX_ROWS`` data rows and ``MAX_COLUMNS`` columns are read (read-only mode
  streams the sheet instead of building it in memory).

Cells are taken as typed: a formula is never evaluated (openpyxl does not calculate;
the reader reports the cell so the office pastes values instead of a cached result
we cannot trust), merged ranges touching data rows are reported by row (a merged
cell holds its value only in its first row), and the header row is found by its
titles in the first rows, so a title line above it (as our registration exports
have) is fine.
"""

import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_INFLATED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS = 20_000
MAX_COLUMNS = 60
#: The header row is looked for in the first rows (a title line may come first).
HEADER_SEARCH_ROWS = 10
FORMULA_PREFIXES = ("=", "+", "-", "@")


class SheetError(Exception):
    """The whole file cannot be read; the message (Chinese) says why."""


@dataclass
class SheetRow:
    number: int  # as Excel shows it
    values: dict  # header -> value
    problems: list = field(default_factory=list)


@dataclass
class Sheet:
    headers: list
    rows: list
    ignored_headers: list


def normalise_header(text):
    """'需求名称 *' / '需求名称（必填）' / ' 需求名称' all read as '需求名称'."""
    text = re.sub(r"\s", "", str(text or ""))
    text = re.sub(r"[（(]必填[）)]$", "", text)
    return text.strip("*＊")


def check_archive(data):
    """Refuse what is not an .xlsx, or inflates too far, before openpyxl sees it."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise SheetError(
            _("文件超过 %(mb)d MB，请分批导入。") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if not data:
        raise SheetError(_("上传的文件是空的。"))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SheetError(_("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 后再导入。"))
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise SheetError(_("无法读取：这不是 Excel（.xlsx）文件。")) from exc
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise SheetError(_("无法读取：这不是 Excel（.xlsx）文件。"))
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > MAX_INFLATED_BYTES or (member.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise SheetError(_("文件解压后异常庞大（疑似压缩炸弹），已拒绝。"))
    return archive


def merged_rows(archive, sheet_path):
    """Row numbers covered by a merged range of the sheet (read-only mode skips them)."""
    from defusedxml.ElementTree import iterparse

    rows = set()
    try:
        with archive.open(sheet_path.lstrip("/")) as stream:
            for _event, element in iterparse(stream):
                if element.tag.endswith("}mergeCell"):
                    ref = element.get("ref", "")
                    numbers = [int(n) for n in re.findall(r"\d+", ref)]
                    if numbers:
                        rows.update(range(min(numbers), max(numbers) + 1))
                elif element.tag.endswith("}row"):
                    element.clear()  # keep memory flat on long sheets
    except KeyError:
        return rows
    return rows


def _cell_value(cell):
    """(value, problem): a formula is a problem, never a value."""
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or (
        isinstance(value, str) and value.startswith("=") and len(value) > 1
    ):
        return None, _("是公式（%(f)s），公式不会被计算，请改为数值或文字") % {"f": str(value)[:40]}
    if isinstance(value, str):
        value = value.strip()
        # Our own exports write text that starts like a formula as '=… (spreadsheets.py).
        if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
            value = value[1:]
    return value, None


def read_sheet(data, required, known):
    """The first sheet's rows under its header row.

    ``required``: headers that must be present; ``known``: every header the ledger
    reads (others are listed as ignored). Raises ``SheetError`` for the whole file."""
    from openpyxl import load_workbook

    archive = check_archive(data)
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=False)
        if not workbook.worksheets:
            raise SheetError(_("文件中没有工作表。"))
        sheet = workbook.worksheets[0]
        merged = merged_rows(archive, getattr(sheet, "_worksheet_path", ""))
        rows = sheet.iter_rows(max_col=MAX_COLUMNS)
        header_row, headers = _find_header(rows, required)
        known = set(known)
        ignored = [h for h in headers if h and h not in known]
        result = []
        for number, cells in enumerate(rows, start=header_row + 1):
            values, problems = {}, []
            for header, cell in zip(headers, cells, strict=False):
                if header not in known:
                    continue
                value, problem = _cell_value(cell)
                if problem:
                    problems.append(f"“{header}”{problem}")
                elif value not in (None, ""):
                    values[header] = value
            if number - header_row > 2 * MAX_ROWS:
                raise SheetError(
                    _("数据超过 %(n)d 行，请分批导入（本次未导入任何记录）。") % {"n": MAX_ROWS}
                )
            if not values and not problems:
                continue  # blank rows between entries
            if number in merged:
                problems.append(_("含合并单元格，请取消合并并在每一行填写完整"))
            result.append(SheetRow(number, values, problems))
            if len(result) > MAX_ROWS:
                raise SheetError(
                    _("数据超过 %(n)d 行，请分批导入（本次未导入任何记录）。") % {"n": MAX_ROWS}
                )
        workbook.close()
    except SheetError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise SheetError(_("文件已损坏或格式不受支持，无法读取。")) from exc
    return Sheet(headers=[h for h in headers if h], rows=result, ignored_headers=ignored)


def _find_header(rows, required):
    seen = []
    for number, cells in enumerate(rows, start=1):
        headers = [normalise_header(getattr(cell, "value", None)) for cell in cells]
        if all(name in headers for name in required):
            return number, headers
        seen.append(headers)
        if number >= HEADER_SEARCH_ROWS:
            break
    if not any(any(h) for h in seen):
        raise SheetError(_("工作表是空的：请在第一个工作表填写表头和数据（可下载模板）。"))
    best = max(seen, key=lambda headers: sum(name in headers for name in required))
    missing = [name for name in required if name not in best]
    raise SheetError(
        _("找不到表头：缺少必填列“%(cols)s”。请使用下载的模板，表头须在前 %(n)d 行。")
        % {"cols": "”“".join(missing), "n": HEADER_SEARCH_ROWS}
    )
