"""Every co-building list downloads as .xlsx: the list's filters, scope and permission.

The files are opened with openpyxl as an office would open them in Excel.
"""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from plugins.cobuilding.models import Claim, ClaimKind, Need, NeedStatus, Project, Resource
from tests.conftest import login

from .helpers import url

LISTS = ["need", "resource", "claim", "project", "agreement", "commitment", "fulfilment"]


def sheet_rows(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def export(client, name, **params):
    return client.get(url(name), {**params, "export": "xlsx"})


@pytest.mark.parametrize("name", LISTS)
def test_every_list_offers_and_serves_an_xlsx(client, lists, name):
    login(client, "admin")
    page = client.get(url(name)).content.decode()
    assert "export=xlsx" in page
    rows = sheet_rows(export(client, name))
    assert len(rows) >= 1  # the Chinese header, then the records
    assert all(isinstance(h, str) and h for h in rows[0])
    assert not any(h.isascii() for h in rows[0]), rows[0]


def test_needs_export_headers_labels_dates_and_filter(client, org):
    community_a, community_b = org["community_a"], org["community_b"]
    Need.objects.create(community=community_b, title="=HYPERLINK(\"http://x\",\"点我\")",
                        category="education", raised_by="居民", year=2026,
                        raised_on=datetime.date(2026, 3, 8), status=NeedStatus.OPEN,
                        contact_phone="13800000000")  # fmt: skip
    login(client, "admin")
    rows = sheet_rows(export(client, "need", community=community_b.pk))
    header = rows[0]
    assert header[:3] == ["需求名称", "社区", "年度"]
    assert "联系电话（不公开）" not in header  # never exported
    body = rows[1:]
    expected = Need.objects.filter(community=community_b).count()
    assert len(body) == expected
    assert {row[1] for row in body} == {community_b.title}  # only the filtered rows
    row = next(r for r in body if r[0].startswith("'="))
    assert row[0] == '\'=HYPERLINK("http://x","点我")'  # text, never a formula
    assert row[header.index("类别")] == "教育"
    assert row[header.index("状态")] == "待认领"
    assert row[header.index("提出日期")] == datetime.datetime(2026, 3, 8)  # a real date cell
    assert "13800000000" not in str(rows)
    # Unfiltered has both communities.
    everything = sheet_rows(export(client, "need"))[1:]
    assert {r[1] for r in everything} >= {community_a.title, community_b.title}


def test_claims_export_people_family_name_first_and_status_filter(client, org):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("zhang", first_name="三丰", last_name="张")
    need = Need.objects.create(community=org["community_b"], title="课后托管", category="education",
                               raised_by="居民", year=2026, status=NeedStatus.OPEN)  # fmt: skip
    Claim.objects.create(community=org["community_b"], unit=org["ub"], kind=ClaimKind.NEED,
                         need=need, year=2026, claimed_by=user, status="declined",
                         decline_reason="时间冲突")  # fmt: skip
    login(client, "admin")
    rows = sheet_rows(export(client, "claim", status__exact="declined"))
    header, body = rows[0], rows[1:]
    assert len(body) == Claim.objects.filter(status="declined").count() >= 1
    row = next(r for r in body if r[header.index("婉拒理由")] == "时间冲突")
    assert row[header.index("认领人")] == "张三丰"
    assert row[header.index("状态")] == "已婉拒"
    assert row[header.index("认领方式")] == "单位认领需求"
    assert {r[header.index("状态")] for r in body} == {"已婉拒"}


def test_project_export_lists_needs_and_keeps_zero_progress(client, org):
    project = Project.objects.create(community=org["community_b"], unit=org["ub"],
                                     title="科学小课堂", year=2026)  # fmt: skip
    need = Need.objects.create(community=org["community_b"], title="课后托管", category="education",
                               raised_by="居民", year=2026, status=NeedStatus.OPEN)  # fmt: skip
    project.needs.add(need)
    login(client, "admin")
    rows = sheet_rows(export(client, "project", community=org["community_b"].pk))
    header = rows[0]
    row = next(r for r in rows[1:] if r[0] == "科学小课堂")
    assert row[header.index("对应需求")] == "课后托管"
    assert row[header.index("进度（%）")] == 0  # a number, not "-"
    assert row[header.index("牵头单位")] == org["ub"].title


def test_scoped_member_exports_only_their_units_resources(client, org):
    Resource.objects.create(community=org["community_b"], unit=org["ub"], title="实验室开放",
                            category="education", year=2026)  # fmt: skip
    Resource.objects.create(community=org["community_a"], unit=org["ua"], title="义诊",
                            category="medical", year=2026)  # fmt: skip
    login(client, "member_b")
    rows = sheet_rows(export(client, "resource"))
    header = rows[0]
    units = {r[header.index("提供单位")] for r in rows[1:]}
    assert units == {org["ub"].title}
    assert "义诊" not in {r[0] for r in rows[1:]}


def test_user_who_cannot_list_gets_no_export(client, lists):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    outsider = get_user_model().objects.create_user("outsider")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    for name in LISTS:
        response = export(client, name)
        assert response.status_code in (302, 403), name
        assert "spreadsheetml" not in response.get("Content-Type", "")
    client.logout()
    response = export(client, "need")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_csv_export_is_formula_safe_and_named_in_chinese(client, org):
    Need.objects.create(community=org["community_b"], title="@SUM(1+1)", category="education",
                        raised_by="居民", year=2026, status=NeedStatus.OPEN)  # fmt: skip
    login(client, "admin")
    response = client.get(url("need"), {"export": "csv", "community": org["community_b"].pk})
    text = b"".join(response.streaming_content).decode()
    assert "'@SUM(1+1)" in text
    assert text.startswith("\ufeff需求名称")  # Excel reads it as UTF-8
    assert "utf-8''" in response["Content-Disposition"]
