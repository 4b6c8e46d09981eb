"""需求清单 and 资源清单 import from Excel: round trip, report, idempotence, scope.

Every file is a real .xlsx written with openpyxl and posted to the admin page the
list's 从Excel导入 button opens; the report is read from the page.
"""

import datetime
import re
from io import BytesIO

from openpyxl import Workbook, load_workbook

from plugins.cobuilding.models import Need, NeedStatus, Resource
from tests.conftest import login

from .helpers import url

NEEDS = "/admin/ledgers/needs/import/"
RESOURCES = "/admin/ledgers/resources/import/"
NEED_HEADER = ["需求名称", "社区", "年度", "类别", "需求描述", "提出人", "提出日期", "状态"]


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, path, content, name="台账.xlsx", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"file": SimpleUploadedFile(name, content), **fields}
    response = client.post(path, data)
    assert response.status_code in (200, 400), response.status_code
    return response.content.decode()


def outcomes(html):
    """{row number: outcome key} from the report table."""
    return {int(n): o for n, o in re.findall(r'data-row="(\d+)" data-outcome="(\w+)"', html)}


def counts(html):
    text = re.search(r"data-counts>(.*?)</p>", html, re.S).group(1)
    return [int(n) for n in re.findall(r"\d+", re.sub(r"<[^>]+>", "", text))]


def test_the_list_offers_import_and_template_to_managers_only(client, lists):
    login(client, "secretary_a")
    page = client.get(url("need")).content.decode()
    assert NEEDS in page and "/admin/ledgers/needs/template/" in page and "从Excel导入" in page
    login(client, "member_a")  # a unit person: reads needs, may not file them
    assert NEEDS not in client.get(url("need")).content.decode()
    assert client.get(NEEDS).status_code in (302, 403)
    assert client.get("/admin/ledgers/needs/template/").status_code in (302, 403)


def test_template_downloads_with_the_columns_and_imports_back_empty(client, org):
    login(client, "secretary_a")
    response = client.get("/admin/ledgers/needs/template/")
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    header = [c.value for c in workbook.worksheets[0][1]]
    assert header[0] == "需求名称*" and "类别*" in header and "社区" in header
    assert workbook.worksheets[1].title == "填写说明"
    html = upload(client, NEEDS, response.content, community=org["community_a"].pk)
    assert "工作表是空的" not in html and "data-file-error" not in html
    assert outcomes(html) == {}


def test_import_report_keeps_good_rows_and_names_bad_ones(client, org):
    community = org["community_a"]
    before = Need.objects.count()
    content = xlsx([
        NEED_HEADER,
        ["老年食堂", None, 2026, "社会", "午餐助老", "居民", datetime.date(2026, 3, 8), None],
        ["", None, 2026, "社会", "", "居民", None, None],  # no title
        ["法律咨询", None, "二〇二六", "社会", "", "居民", None, None],  # year not a number
        ["儿童托管", None, 2026, "托儿", "", "居民", None, None],  # unknown category
        ["健康讲座", None, 2026, "medical", "", "网格", "2026/4/1", "待认领"],
        ["暑期托管", "光明社区大党委", 2026, "教育", "", "居民", None, None],  # not theirs
    ])  # fmt: skip
    login(client, "secretary_a")
    html = upload(client, NEEDS, content, community=community.pk)
    assert outcomes(html) == {2: "created", 3: "error", 4: "error", 5: "error", 6: "created",
                              7: "error"}  # fmt: skip
    assert "“需求名称”不能为空" in html
    assert "“年度”的值“二〇二六”无效：应为整数" in html
    assert "可选：党建、行政" in html
    assert "您无权向“光明社区大党委”导入" in html
    assert Need.objects.count() == before + 2
    need = Need.objects.get(community=community, title="健康讲座")
    assert (need.category, need.raised_on, need.status) == (
        "medical", datetime.date(2026, 4, 1), NeedStatus.OPEN)  # fmt: skip
    assert Need.objects.get(title="老年食堂").raised_on == datetime.date(2026, 3, 8)


def test_reimport_changes_nothing_and_a_changed_row_updates(client, org):
    community = org["community_a"]
    rows = [NEED_HEADER, ["老年食堂", None, 2026, "社会", "午餐助老", "居民", None, None]]
    login(client, "secretary_a")
    upload(client, NEEDS, xlsx(rows), community=community.pk)
    count = Need.objects.count()
    html = upload(client, NEEDS, xlsx(rows), community=community.pk)
    assert outcomes(html) == {2: "unchanged"}
    assert Need.objects.count() == count
    rows[1][4] = "午餐助老，每周五天"
    rows.append(["老年食堂", None, 2026, "社会", "重复", "居民", None, None])
    html = upload(client, NEEDS, xlsx(rows), community=community.pk)
    assert outcomes(html) == {2: "updated", 3: "error"}
    assert "与第 2 行是同一条记录" in html
    assert (
        Need.objects.get(community=community, title="老年食堂").description == "午餐助老，每周五天"
    )
    assert Need.objects.count() == count


def test_dry_run_saves_nothing(client, org):
    login(client, "secretary_a")
    content = xlsx([NEED_HEADER, ["老年食堂", None, 2026, "社会", "", "居民", None, None]])
    before = Need.objects.count()
    html = upload(client, NEEDS, content, community=org["community_a"].pk, dry_run="on")
    assert outcomes(html) == {2: "created"} and "只检查，未保存" in html
    assert Need.objects.count() == before


def test_needs_export_imports_back_unchanged_then_recreates_when_deleted(client, org):
    """Round trip: the list's own export is a valid ledger."""
    community = org["community_a"]
    Need.objects.create(community=community, title="=1+1 公式样的标题", category="funds",
                        raised_by="居民", year=2026, raised_on=datetime.date(2026, 1, 2),
                        description="多行\n描述")  # fmt: skip
    login(client, "secretary_a")
    exported = client.get(url("need"), {"community": community.pk, "export": "xlsx"})
    content = b"".join(exported.streaming_content)
    fields = ("title", "year", "category", "description", "raised_by", "raised_on", "status",
              "source", "moderation_note")  # fmt: skip
    before = sorted(Need.objects.filter(community=community).values_list(*fields))
    assert before
    html = upload(client, NEEDS, content)
    assert set(outcomes(html).values()) == {"unchanged"}, html
    Need.objects.filter(community=community).delete()
    html = upload(client, NEEDS, content)
    assert set(outcomes(html).values()) == {"created"}
    assert sorted(Need.objects.filter(community=community).values_list(*fields)) == before


def test_resources_round_trip_and_unit_scope(client, org):
    Resource.objects.create(community=org["community_b"], unit=org["ub"], title="实验室开放",
                            category="education", year=2026, capacity="每次 30 人")  # fmt: skip
    login(client, "member_b")
    exported = client.get(url("resource"), {"export": "xlsx"})
    content = b"".join(exported.streaming_content)
    html = upload(client, RESOURCES, content)
    assert outcomes(html) and set(outcomes(html).values()) == {"unchanged"}, html
    # A row for another unit (UA, member_a's) is refused; their own is added.
    header = ["资源名称", "提供单位", "社区", "年度", "类别", "服务能力"]
    rows = [header,
            ["操场开放", org["ub"].title, org["community_b"].title, 2026, "场地", "周末"],
            ["义诊", org["ua"].title, org["community_b"].title, 2026, "医疗", ""]]  # fmt: skip
    html = upload(client, RESOURCES, xlsx(rows))
    assert outcomes(html) == {2: "created", 3: "error"}
    assert f"找不到您可登记的单位“{org['ua'].title}”" in html
    assert not Resource.objects.filter(title="义诊").exists()
    assert Resource.objects.get(title="操场开放").unit == org["ub"]


def test_counts_on_the_report(client, org):
    login(client, "secretary_a")
    good = [[f"需求{i}", None, 2026, "社会", "", "居民", None, None] for i in range(3)]
    rows = [NEED_HEADER, *good, ["坏", None, "x", "社会", "", "居民", None, None]]
    html = upload(client, NEEDS, xlsx(rows), community=org["community_a"].pk)
    assert counts(html) == [3, 0, 0, 1]
