"""月报表 downloads as .xlsx: the streets the user may see, a row a month, the answers."""

from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from openpyxl import load_workbook

from plugins.access.grants import grant_role
from plugins.evaluation.models import MonthlyAnswer, MonthlyItem, MonthlyReport
from plugins.orgs.setup import STAFF_GROUP
from tests.conftest import login

URL = "/admin/evaluation/monthly-export/"


def rows_of(response):
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_district_exports_every_street_with_answers_and_status(client, pages):
    item = MonthlyItem.objects.filter(district__slug="jiangbei", active=True).first()
    submitter = get_user_model().objects.create_user("zhao", first_name="一", last_name="赵")
    report = MonthlyReport.objects.create(
        street=pages["xinhua"], year=2019, month=5, submitted_by=submitter,
        submitted_at=timezone.make_aware(timezone.datetime(2019, 6, 9, 10)),
    )  # fmt: skip
    MonthlyAnswer.objects.create(report=report, item=item, value="=1+1")
    login(client, "publicity")
    assert URL in client.get("/admin/evaluation/monthly/?year=2019").content.decode()
    header, *rows = rows_of(client.get(URL, {"year": 2019}))
    assert header[:6] == ["街道", "年度", "月份", "报送情况", "报送时间", "报送人"]
    assert str(item) in header
    may = next(r for r in rows if r[0] == pages["xinhua"].title and r[2] == 5)
    assert may[3] == "逾期报送" and may[5] == "赵一"
    assert may[4].year == 2019  # a real date-time
    assert may[header.index(str(item))] == "'=1+1"  # text, never a formula
    streets = {r[0] for r in rows}
    assert {pages["xinhua"].title, pages["linjiang"].title} <= streets
    assert len([r for r in rows if r[0] == pages["linjiang"].title]) == 12
    assert any(r[3] == "逾期未报" for r in rows)


def test_street_exports_only_its_row_and_outsiders_get_nothing(client, pages):
    user = get_user_model().objects.create_user("street_x", last_name="赵")
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    grant_role(pages["xinhua"], user, "editor")
    client.force_login(user)
    header, *rows = rows_of(client.get(URL, {"year": 2019}))
    assert {r[0] for r in rows} == {pages["xinhua"].title}
    login(client, "member_a")
    response = client.get(URL, {"year": 2019})
    assert response.status_code in (302, 403)
    assert "spreadsheetml" not in response.get("Content-Type", "")
