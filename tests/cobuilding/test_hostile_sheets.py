"""Hostile ledgers: whatever is uploaded, the answer is a Chinese report, never a 500,
and nothing valid is lost (nor anything half-imported when the file as a whole fails).

Formulas, wrong types, an empty sheet, wrong headers, 10,000 rows, more than the limit,
merged cells, files that are not .xlsx, an oversized upload and a zip bomb.
"""

import datetime
import io
import os
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from gongjian_site.xlsx_import import MAX_ROWS
from plugins.cobuilding.models import Need
from tests.conftest import login

NEEDS = "/admin/ledgers/needs/import/"
HEADER = ["需求名称", "年度", "类别", "需求描述", "提出人", "提出日期"]


def xlsx(rows, merge=None, write_only=False):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def post(client, org):
    login(client, "secretary_a")

    def send(content, name="台账.xlsx", expect=200):
        response = client.post(NEEDS, {"file": SimpleUploadedFile(name, content),
                                       "community": org["community_a"].pk})  # fmt: skip
        assert response.status_code == expect, response.status_code
        return response.content.decode()

    return send


def outcomes(html):
    return {int(n): o for n, o in re.findall(r'data-row="(\d+)" data-outcome="(\w+)"', html)}


def file_error(html):
    found = re.search(r"data-file-error>(.*?)</div>", html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


def test_formulas_are_reported_never_evaluated(post):
    before = Need.objects.count()
    html = post(xlsx([
        HEADER,
        ["=HYPERLINK(\"http://evil.example\",\"点我\")", 2026, "社会", "", "居民", None],
        ["老年食堂", "=2000+26", "社会", "", "居民", None],
        ["助学", 2026, "教育", "=CMD|' /C calc'!A0", "居民", None],
        ["好的一行", 2026, "社会", "", "居民", None],
    ]))  # fmt: skip
    assert outcomes(html) == {2: "error", 3: "error", 4: "error", 5: "created"}
    assert html.count("是公式") == 3 and "公式不会被计算" in html
    assert Need.objects.count() == before + 1
    assert not Need.objects.filter(title__contains="HYPERLINK").exists()


def test_wrong_types_are_named_per_cell(post):
    html = post(xlsx([
        HEADER,
        ["日期当年度", datetime.date(2026, 1, 1), "社会", "", "居民", None],
        ["日期是文字", 2026, "社会", "", "居民", "明天"],
        ["类别是数字", 2026, 5, "", "居民", None],
        ["年度太大", 99999, "社会", "", "居民", None],
        ["x" * 500, 2026, "社会", "", "居民", None],
        [12345, 2026.0, "社会", True, "居民", 46000],  # number title, float year, serial date
    ]))  # fmt: skip
    assert outcomes(html) == {2: "error", 3: "error", 4: "error", 5: "error", 6: "error",
                              7: "created"}  # fmt: skip
    assert "“提出日期”的值“明天”无效：应为日期" in html
    assert "“类别”的值“5”无效" in html
    need = Need.objects.get(title="12345")
    assert need.year == 2026 and need.description == "是" and need.raised_on.year == 2025


def test_empty_sheet_and_empty_file(post):
    assert "工作表是空的" in file_error(post(xlsx([])))
    assert "上传的文件是空的" in post(b"", expect=400) or "空" in post(b"", expect=400)


def test_wrong_headers_name_the_missing_columns(post):
    before = Need.objects.count()
    error = file_error(post(xlsx([["名称", "备注"], ["老年食堂", "x"]])))
    assert "缺少必填列" in error and "需求名称" in error and "类别" in error and "提出人" in error
    assert Need.objects.count() == before


def test_unknown_columns_are_listed_as_ignored(post):
    html = post(
        xlsx([[*HEADER, "序号", "备注"], ["老年食堂", 2026, "社会", "", "居民", None, 1, "x"]])
    )
    assert outcomes(html) == {2: "created"}
    assert "已忽略" in html and "序号" in html


def test_header_below_a_title_line(post):
    html = post(xlsx([["幸福里社区 2026 年需求台账"], [], HEADER,
                      ["老年食堂", 2026, "社会", "", "居民", None]], merge="A1:F1"))  # fmt: skip
    assert outcomes(html) == {4: "created"}


def test_merged_cells_in_data_rows_are_reported(post):
    before = Need.objects.count()
    html = post(xlsx([HEADER,
                      ["老年食堂", 2026, "社会", "", "居民", None],
                      ["助学", 2026, "教育", "", "居民", None],
                      ["助残", None, "社会", "", "居民", None],
                      ["义诊", 2026, "医疗", "", "居民", None]], merge="B3:B4"))  # fmt: skip
    assert outcomes(html) == {2: "created", 3: "error", 4: "error", 5: "created"}
    assert html.count("含合并单元格") == 2
    assert Need.objects.count() == before + 2


def test_ten_thousand_rows_give_a_report(post):
    """10,000 rows: every one read and answered; the bad ones listed with their number.

    Most rows carry a wrong year (answered before the form runs) so the test stays
    quick; 200 go all the way through the admin form and are saved."""
    good = [[f"需求{i}", 2026, "社会", "", "居民", None] for i in range(200)]
    bad = [[f"坏{i}", "不是年度", "社会", "", "居民", None] for i in range(9_799)]
    rows = [HEADER, *good, *bad, ["最后一行", 2026, "社会", "", "居民", None]]
    before = Need.objects.count()
    html = post(xlsx(rows, write_only=True))
    text = re.sub(r"<[^>]+>", "", html)
    assert re.search(r"新增\s*201，\s*更新\s*0，\s*未变化\s*0，\s*未导入\s*9799", text), text[
        -3000:
    ]
    results = outcomes(html)
    assert results[202] == "error" and set(results.values()) == {"error"}  # bad rows first
    assert "另有 8000 行未在此列出" in text
    assert "“年度”的值“不是年度”无效" in html
    assert Need.objects.count() == before + 201


def test_more_rows_than_the_limit_import_nothing(post):
    rows = [HEADER] + [[f"需求{i}", 2026, "社会", "", "居民", None] for i in range(MAX_ROWS + 1)]
    before = Need.objects.count()
    error = file_error(post(xlsx(rows, write_only=True)))
    assert f"超过 {MAX_ROWS} 行" in error and "未导入任何记录" in error
    assert Need.objects.count() == before


@pytest.mark.parametrize(
    "content, message",
    [
        ("需求名称,类别\n老年食堂,社会\n".encode(), "不是 Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000, "旧版 Excel（.xls）"),
        (b"%PDF-1.4 not a sheet", "不是 Excel"),
    ],
)
def test_files_that_are_not_xlsx(post, content, message):
    assert message in file_error(post(content))


def test_zip_without_a_workbook_and_a_damaged_xlsx(post):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "不是工作簿")
    assert "不是 Excel" in file_error(post(buffer.getvalue()))
    good = xlsx([HEADER, ["老年食堂", 2026, "社会", "", "居民", None]])
    assert "不是 Excel" in file_error(post(good[: len(good) // 2]))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook><sheets>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert "无法读取" in file_error(post(broken.getvalue()))


def test_zip_bomb_is_refused_before_parsing(post):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        source = io.BytesIO(xlsx([HEADER]))
        with zipfile.ZipFile(source) as real:
            for item in real.infolist():
                archive.writestr(item, real.read(item))
        archive.writestr("xl/worksheets/sheet2.xml", b"<a>" + b" " * (8 * 1024 * 1024) + b"</a>")
    assert len(buffer.getvalue()) < 100_000
    assert "压缩炸弹" in file_error(post(buffer.getvalue()))


def test_oversized_upload_is_refused(post):
    html = post(os.urandom(5 * 1024 * 1024 + 10), expect=400)
    assert "文件超过 5 MB" in html
