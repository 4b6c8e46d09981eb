"""The evaluation and appointment record lists download as .xlsx, scoped like the list."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.conftest import login

LISTS = {
    "/admin/evaluation/annualreport/": "述职报告",
    "/admin/evaluation/ratinground/": "述职测评",
    "/admin/evaluation/scoreweights/": "单位得分与排名",
    "/admin/evaluation/monthlyitem/": "月报表项目",
    "/admin/evaluation/award/": "评选表彰",
    "/admin/access/appointment/": "兼职委员任职",
}


def rows_of(response):
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.mark.parametrize("path", LISTS)
def test_list_exports_chinese_xlsx(client, demo, path):
    login(client, "admin")
    assert "export=xlsx" in client.get(path).content.decode()
    response = client.get(path, {"export": "xlsx"})
    assert (
        LISTS[path] in response["Content-Disposition"]
        or "utf-8''" in response["Content-Disposition"]
    )
    rows = rows_of(response)
    assert rows[0] and not any(str(h).isascii() for h in rows[0]), rows[0]


def test_appointments_export_names_family_first_and_member_scope(client, demo):
    from plugins.access.models import Appointment

    login(client, "admin")
    rows = rows_of(client.get("/admin/access/appointment/", {"export": "xlsx"}))
    header = rows[0]
    assert len(rows) - 1 == Appointment.objects.count()
    people = {row[header.index("用户")] for row in rows[1:]}
    member_a = Appointment.objects.filter(user__username="member_a").first().user
    assert member_a.last_name + member_a.first_name in people
    roles = {row[header.index("职务")] for row in rows[1:]}
    assert roles <= {"兼职委员", "联络员"} and roles

    # member_b sees only the appointments of the units they edit (UB), not member_a's.
    login(client, "member_b")
    own = rows_of(client.get("/admin/access/appointment/", {"export": "xlsx"}))
    names = {row[own[0].index("用户")] for row in own[1:]}
    assert member_a.last_name + member_a.first_name not in names
    assert len(own) - 1 < len(rows) - 1


def test_role_filter_applies_to_the_export(client, demo):
    from plugins.access.models import Appointment

    login(client, "admin")
    rows = rows_of(client.get("/admin/access/appointment/",
                              {"export": "xlsx", "role__exact": "liaison"}))  # fmt: skip
    assert len(rows) - 1 == Appointment.objects.filter(role="liaison").count()


def test_awards_are_not_exported_to_non_managers(client, demo):
    login(client, "member_a")
    response = client.get("/admin/evaluation/award/", {"export": "xlsx"})
    assert "spreadsheetml" not in response.get("Content-Type", "")
