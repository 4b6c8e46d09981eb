"""Moderation lists, object permissions by URL, and the Excel exports."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from plugins.registrations.demo import BAKERY_CODE, HOSPITAL_CODE
from plugins.registrations.models import MemberCheckIn, Status, UnitCheckIn, UnitSurvey
from plugins.registrations.tables import TABLES
from tests.conftest import login

pytestmark = pytest.mark.django_db

BASE = "/admin/registrations"


def survey_post_data(record, **changes):
    data = {name: getattr(record, name) for name in (
        "unit_name", "credit_code", "kind", "address", "party_organisation", "secretary_name",
        "party_member_count", "contact_name", "contact_phone", "resources", "status",
        "moderation_note")}  # fmt: skip
    data["community"] = record.community_id
    data["unit"] = record.unit_id or ""
    data.update(changes)
    return data


def open_export(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    # The Chinese file name survives (RFC 6266: filename*=utf-8''…, percent-encoded).
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''%E")
    return load_workbook(BytesIO(response.content)).active


def test_admin_lists_filters_search_and_menu(admin_client_demo, django_assert_max_num_queries):
    menu = admin_client_demo.get("/admin/").content.decode()
    assert (
        "/admin/registrations/unitsurvey/" in menu and "/admin/registrations/membercheckin/" in menu
    )
    for model, needle in (("unitsurvey", "幸福里烘焙坊"), ("unitcheckin", "江安市第一人民医院"),
                          ("membercheckin", "周敏")):  # fmt: skip
        with django_assert_max_num_queries(25):
            response = admin_client_demo.get(f"{BASE}/{model}/")
        html = response.content.decode()
        assert response.status_code == 200 and needle in html, model
        assert "导出 Excel" in html
    html = admin_client_demo.get(f"{BASE}/unitsurvey/?status__exact=pending").content.decode()
    assert "幸福里烘焙坊" in html and "江安市第一人民医院</a>" not in html
    html = admin_client_demo.get(f"{BASE}/unitsurvey/?q={BAKERY_CODE}").content.decode()
    assert "幸福里烘焙坊" in html


@pytest.mark.parametrize("key", ["survey", "checkin", "member"])
def test_export_has_the_forms_columns_and_rows(admin_client_demo, key):
    table = TABLES[key]
    sheet = open_export(admin_client_demo.get(f"/admin/registrations/export/{key}/"))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == table.title
    assert list(rows[1]) == table.headers()
    records = list(table.model.objects.order_by("submitted_at"))
    assert len(rows) == 2 + len(records) > 2
    for number, (row, record) in enumerate(zip(rows[2:], records, strict=True), start=1):
        assert row[0] == number
        by_header = dict(zip(rows[1], row, strict=True))
        if key == "member":
            assert by_header["姓名"] == record.name
            assert by_header["手机号码"] == record.mobile
            assert by_header["认领服务岗位"] == record.get_service_post_display()
            assert by_header["报到社区"] == "幸福里社区大党委"
        else:
            assert by_header["单位名称"] == record.unit_name
            assert by_header["统一社会信用代码"] == record.credit_code
        assert by_header["审核状态"] == record.get_status_display()


def test_survey_export_headers_in_the_forms_order(admin_client_demo):
    sheet = open_export(admin_client_demo.get("/admin/registrations/export/survey/"))
    assert [c.value for c in sheet[2]] == [
        "序号", "单位名称", "统一社会信用代码", "单位类别", "单位地址", "党组织名称",
        "党组织书记", "党员人数", "联系人", "联系电话", "可提供的资源", "报到社区",
        "登记时间", "审核状态"]  # fmt: skip
    filtered = open_export(
        admin_client_demo.get("/admin/registrations/export/survey/?status__exact=pending")
    )
    assert [row[1] for row in filtered.iter_rows(min_row=3, values_only=True)] == [
        "幸福里烘焙坊有限公司"
    ]


def test_member_sees_and_changes_only_their_units_records(
    client, demo, django_assert_max_num_queries
):
    login(client, "member_a")
    hospital = UnitSurvey.objects.get(credit_code=HOSPITAL_CODE)
    bakery = UnitSurvey.objects.get(credit_code=BAKERY_CODE)
    member = MemberCheckIn.objects.first()

    # The admin menu also asks the co-building, meetings and evaluation plugins.
    with django_assert_max_num_queries(34):
        html = client.get(f"{BASE}/unitsurvey/").content.decode()
    assert "江安市第一人民医院" in html and "幸福里烘焙坊" not in html
    assert "周敏" not in client.get(f"{BASE}/membercheckin/").content.decode()

    # Another unit's record by URL: refused, for reading and for changing.
    for url in (f"{BASE}/unitsurvey/edit/{bakery.pk}/", f"{BASE}/unitsurvey/inspect/{bakery.pk}/",
                f"{BASE}/unitsurvey/delete/{bakery.pk}/",
                f"{BASE}/membercheckin/edit/{member.pk}/"):  # fmt: skip
        assert client.get(url).status_code in (403, 302), url
        assert client.get(url).status_code != 200, url
    response = client.post(f"{BASE}/unitsurvey/edit/{bakery.pk}/",
                           survey_post_data(bakery, resources="篡改"))  # fmt: skip
    assert response.status_code != 200 or "篡改" not in response.content.decode()
    bakery.refresh_from_db()
    assert bakery.resources != "篡改"

    # Their own unit's record: they may correct it, but not approve or reject it.
    assert client.get(f"{BASE}/unitsurvey/edit/{hospital.pk}/").status_code == 200
    response = client.post(f"{BASE}/unitsurvey/edit/{hospital.pk}/", survey_post_data(
        hospital, resources="义诊、急救培训、献血车", status=Status.REJECTED))  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    hospital.refresh_from_db()
    assert hospital.resources == "义诊、急救培训、献血车"
    assert hospital.status == Status.APPROVED

    rows = list(open_export(client.get("/admin/registrations/export/survey/")).iter_rows(
        min_row=3, values_only=True))  # fmt: skip
    assert [row[1] for row in rows] == ["江安市第一人民医院"]


def test_member_of_another_community_sees_nothing_of_a(client, demo):
    login(client, "member_b")
    hospital = UnitCheckIn.objects.get(credit_code=HOSPITAL_CODE)
    assert "江安市第一人民医院" not in client.get(f"{BASE}/unitcheckin/").content.decode()
    assert client.get(f"{BASE}/unitcheckin/edit/{hospital.pk}/").status_code != 200
    assert client.get(f"{BASE}/unitcheckin/inspect/{hospital.pk}/").status_code != 200


def test_anonymous_and_plain_staff_get_no_export(client, demo):
    assert client.get("/admin/registrations/export/survey/").status_code == 302  # to login
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("nobody", password="x")
    user.groups.add(Group.objects.get(name="共建用户"))
    client.force_login(user)
    response = client.get("/admin/registrations/export/survey/")
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard.
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_community_reviewer_moderates(client, demo):
    login(client, "secretary_a")
    bakery = UnitSurvey.objects.get(credit_code=BAKERY_CODE)
    html = client.get(f"{BASE}/membercheckin/").content.decode()
    assert "周敏" in html and "吴涛" in html
    response = client.post(f"{BASE}/unitsurvey/edit/{bakery.pk}/",
                           survey_post_data(bakery, status=Status.APPROVED,
                                            moderation_note="已核实"))  # fmt: skip
    assert response.status_code == 302
    bakery.refresh_from_db()
    assert (bakery.status, bakery.moderation_note) == (Status.APPROVED, "已核实")
