"""会议出席率 downloads as .xlsx: every attendance of the year, scoped like the report."""

from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from plugins.orgs.models import ResidentUnitPage
from tests.conftest import login


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def test_secretary_exports_attendance_with_dates_and_rates(client, city):
    login(client, "secretary_a")
    page = client.get(reverse("meetings_admin:attendance")).content.decode()
    assert reverse("meetings_admin:attendance_export") in page
    book = workbook(client.get(reverse("meetings_admin:attendance_export")))
    records, rates = book["出席记录"], book["出席率"]
    header = [c.value for c in records[1]]
    assert header == ["会议", "会议类型", "会议日期", "任职党组织", "姓名", "原单位", "出席",
                      "缺席原因"]  # fmt: skip
    rows = list(records.iter_rows(min_row=2, values_only=True))
    today = timezone.localdate()
    assert rows and all(r[2].year == today.year for r in rows)  # real dates
    assert {r[6] for r in rows} <= {"是", "否"}
    assert all(r[7] for r in rows if r[6] == "否")  # absences carry their reason
    assert not any("光明" in (r[3] or "") for r in rows)  # not secretary_a's community
    people = {r[0] for r in rates.iter_rows(min_row=2, values_only=True)}
    assert {"王建国", "孙明", "韩雪"} <= people


def test_member_exports_only_their_units_rows_and_not_another_unit(client, city):
    ua = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    other = ResidentUnitPage.objects.get(slug="jiangan-no12-middle-school")
    login(client, "member_a")
    book = workbook(client.get(reverse("meetings_admin:attendance_export")))
    units = {r[5] for r in book["出席记录"].iter_rows(min_row=2, values_only=True)}
    assert units <= {ua.title}
    url = reverse("meetings_admin:attendance_export")
    assert client.get(url, {"unit": other.pk}).status_code in (302, 403)
    assert client.get(url, {"unit": "abc"}).status_code in (302, 403)
    unit_book = workbook(client.get(url, {"unit": ua.pk, "year": "x"}))
    assert {r[5] for r in unit_book["出席记录"].iter_rows(min_row=2, values_only=True)} <= {
        ua.title
    }
