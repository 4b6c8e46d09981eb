"""The unit registry (驻区单位摸排登记表) and 在职党员报到 import from Excel.

Round trip through the table's own 导出 Excel (title line, merged, above the header),
idempotence by credit code / mobile, the credit-code check of the public form, and
the community scope of the importing reviewer.
"""

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from plugins.orgs.models import CommunityPage
from plugins.registrations.models import MemberCheckIn, Status, UnitSurvey
from tests.conftest import login

from .conftest import valid_code

pytestmark = pytest.mark.django_db

SURVEY = "/admin/ledgers/unit-survey/import/"
MEMBER = "/admin/ledgers/member-checkin/import/"
SURVEY_HEADER = ["单位名称", "统一社会信用代码", "单位类别", "单位地址", "党组织名称",
                 "党组织书记", "党员人数", "联系人", "联系电话", "可提供的资源"]  # fmt: skip


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, path, content, **fields):
    response = client.post(path, {"file": SimpleUploadedFile("台账.xlsx", content), **fields})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def outcomes(html):
    return {int(n): o for n, o in re.findall(r'data-row="(\d+)" data-outcome="(\w+)"', html)}


def survey_row(name, code, **changes):
    values = [name, code, "国有企业", "幸福里路 1 号", f"中共{name}支部", "钱进", 12, "孙丽",
              "199 0000 3001", "阅览室"]  # fmt: skip
    row = dict(zip(SURVEY_HEADER, values, strict=True))
    row.update(changes)
    return [row[h] for h in SURVEY_HEADER]


def test_survey_list_has_import_buttons_for_its_reviewer(client, demo):
    login(client, "secretary_a")
    html = client.get("/admin/registrations/unitsurvey/").content.decode()
    assert SURVEY in html and "/admin/ledgers/unit-survey/template/" in html
    login(client, "member_a")  # edits a unit, moderates no community
    assert SURVEY not in client.get("/admin/registrations/unitsurvey/").content.decode()
    assert client.get(SURVEY).status_code in (302, 403)


def test_survey_import_checks_codes_keeps_good_rows_and_is_idempotent(client, demo):
    community = CommunityPage.objects.get(slug="xingfuli")
    code = valid_code("91360100MA7QXY812")
    rows = [
        SURVEY_HEADER,
        survey_row("江安市新华书店有限公司", code.lower()[:6] + " " + code[6:]),  # normalised
        survey_row("坏代码公司", "91360100MA7QXY8121"),  # 18 chars, wrong check character
        survey_row("人数不对公司", valid_code("91360100MA7QXY813"), **{"党员人数": "十二"}),
        survey_row("电话不对公司", valid_code("91360100MA7QXY814"), **{"联系电话": "12"}),
        survey_row("类别不对公司", valid_code("91360100MA7QXY815"), **{"单位类别": "外企"}),
    ]
    login(client, "secretary_a")
    before = UnitSurvey.objects.count()
    html = upload(client, SURVEY, xlsx(rows), community=community.pk)
    assert outcomes(html) == {2: "created", 3: "error", 4: "error", 5: "error", 6: "error"}
    assert "校验位不正确" in html and "应为整数" in html and "联系电话" in html
    assert UnitSurvey.objects.count() == before + 1
    record = UnitSurvey.objects.get(credit_code=code)
    assert record.community == community and record.status == Status.APPROVED
    assert record.kind == "state_firm" and record.contact_phone == "19900003001"

    html = upload(client, SURVEY, xlsx(rows[:2]), community=community.pk)
    assert outcomes(html) == {2: "unchanged"}
    assert UnitSurvey.objects.count() == before + 1


def test_survey_export_imports_back_unchanged(client, demo):
    login(client, "secretary_a")
    response = client.get("/admin/registrations/export/survey/")
    assert response.status_code == 200
    fields = ("unit_name", "credit_code", "kind", "address", "party_member_count",
              "contact_phone", "status")  # fmt: skip
    before = sorted(UnitSurvey.objects.values_list(*fields))
    html = upload(client, SURVEY, response.content)
    assert outcomes(html) and set(outcomes(html).values()) == {"unchanged"}, html
    assert "含合并单元格" not in html  # the merged title line is above the header
    assert sorted(UnitSurvey.objects.values_list(*fields)) == before


def test_reviewer_imports_only_into_their_community(client, demo):
    other = CommunityPage.objects.get(slug="guangming")
    login(client, "secretary_a")
    header = [*SURVEY_HEADER, "报到社区"]
    rows = [header, [*survey_row("外社区公司", valid_code("91360100MA7QXY816")), other.title]]
    html = upload(client, SURVEY, xlsx(rows))
    assert outcomes(html) == {2: "error"}
    assert f"您无权向“{other.title}”导入" in html
    # Nor by choosing it as the default community: the form offers only their own.
    content = xlsx(rows[:1] + [rows[1][:-1]])
    response = client.post(SURVEY, {"file": SimpleUploadedFile("台账.xlsx", content),
                                    "community": other.pk})  # fmt: skip
    assert response.status_code == 400
    assert not UnitSurvey.objects.filter(unit_name="外社区公司").exists()


def test_member_checkins_import_by_mobile(client, demo):
    community = CommunityPage.objects.get(slug="xingfuli")
    header = ["姓名", "所在党组织", "工作单位", "认领服务岗位", "手机号码", "家庭住址"]
    rows = [
        header,
        ["郑晓", "中共江安市财政局机关支部委员会", "江安市财政局", "社区监督", 19900004101, "9 栋"],
        ["王敏", "中共江安市税务局支部", "江安市税务局", "扶贫帮困", "199-0000-4102", "3 栋"],
        ["李强", "中共某支部", "某单位", "扫地", "19900004103", "1 栋"],
        ["赵六", "中共某支部", "某单位", "公共事务", "1234", "1 栋"],
    ]
    login(client, "secretary_a")
    before = MemberCheckIn.objects.count()
    html = upload(client, MEMBER, xlsx(rows), community=community.pk)
    assert outcomes(html) == {2: "created", 3: "created", 4: "error", 5: "error"}
    assert "尾号 4101" in html and "可选：社区监督" in html
    assert MemberCheckIn.objects.count() == before + 2
    assert MemberCheckIn.objects.get(mobile="19900004102").service_post == "poverty_relief"
    rows[1][2] = "江安市审计局"  # moved job: same person, updated
    html = upload(client, MEMBER, xlsx(rows[:3]), community=community.pk)
    assert outcomes(html) == {2: "updated", 3: "unchanged"}
    assert MemberCheckIn.objects.count() == before + 2
    assert MemberCheckIn.objects.get(mobile="19900004101").workplace == "江安市审计局"


def test_member_table_export_imports_back_unchanged(client, demo):
    login(client, "secretary_a")
    response = client.get("/admin/registrations/export/member/")
    fields = ("name", "workplace", "service_post", "mobile", "home_address", "status")
    before = sorted(MemberCheckIn.objects.values_list(*fields))
    html = upload(client, MEMBER, response.content)
    assert outcomes(html) and set(outcomes(html).values()) == {"unchanged"}, html
    assert sorted(MemberCheckIn.objects.values_list(*fields)) == before


def test_filled_template_imports(client, demo):
    from openpyxl import load_workbook

    community = CommunityPage.objects.get(slug="xingfuli")
    login(client, "secretary_a")
    response = client.get("/admin/ledgers/unit-survey/template/")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["单位名称*", "统一社会信用代码*"] and "报到社区" in header
    values = dict(zip(SURVEY_HEADER, survey_row("模板公司", valid_code("91360100MA7QXY817")),
                      strict=True))  # fmt: skip
    for index, name in enumerate(header, start=1):
        sheet.cell(row=2, column=index, value=values.get(name.rstrip("*")))
    buffer = BytesIO()
    book.save(buffer)
    html = upload(client, SURVEY, buffer.getvalue(), community=community.pk)
    assert outcomes(html) == {2: "created"}, html
    assert UnitSurvey.objects.get(unit_name="模板公司").community == community


def test_unit_checkin_export_imports_back_and_a_new_unit_is_added(client, demo):
    from plugins.registrations.models import UnitCheckIn

    login(client, "secretary_a")
    assert (
        "/admin/ledgers/unit-checkin/import/"
        in client.get("/admin/registrations/unitcheckin/").content.decode()
    )
    response = client.get("/admin/registrations/export/checkin/")
    html = upload(client, "/admin/ledgers/unit-checkin/import/", response.content)
    assert outcomes(html) and set(outcomes(html).values()) == {"unchanged"}, html
    header = ["单位名称", "统一社会信用代码", "党组织名称", "党组织类别", "党组织书记", "党员人数",
              "联络员", "联络员电话", "共建意向"]  # fmt: skip
    code = valid_code("91360100MA7QXY818")
    rows = [header, ["报到公司", code, "中共报到公司支部", "党支部", "钱进", 5, "孙丽",
                     "0791-8765 4321", ""]]  # fmt: skip
    community = CommunityPage.objects.get(slug="xingfuli")
    html = upload(client, "/admin/ledgers/unit-checkin/import/", xlsx(rows),
                  community=community.pk)  # fmt: skip
    assert outcomes(html) == {2: "created"}, html
    record = UnitCheckIn.objects.get(credit_code=code)
    assert record.org_type == "branch" and record.liaison_phone == "079187654321"
