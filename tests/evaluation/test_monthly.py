"""月报表: the due-date rule, filling a month, late marks, the district grid and 月讲评."""

from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from plugins.access.grants import grant_role
from plugins.evaluation.models import MonthlyAnswer, MonthlyItem, MonthlyReport, due_date
from plugins.evaluation.models.monthly import month_status
from plugins.orgs.setup import STAFF_GROUP
from tests.conftest import login


@pytest.mark.parametrize(
    ("year", "month", "due"),
    [
        (2025, 1, date(2025, 2, 5)),
        (2025, 12, date(2026, 1, 5)),
        (2024, 2, date(2024, 3, 5)),
    ],
)
def test_due_date_is_the_fifth_of_the_next_month(year, month, due):
    assert due_date(year, month) == due


def test_month_status():
    today = date(2025, 6, 20)
    aware = lambda day: timezone.make_aware(datetime(day.year, day.month, day.day, 23))  # noqa: E731
    on_time = MonthlyReport(year=2025, month=4, submitted_at=aware(date(2025, 5, 5)))
    late = MonthlyReport(year=2025, month=4, submitted_at=aware(date(2025, 5, 6)))
    assert month_status(on_time, 2025, 4, today)[0] == "on_time"
    assert month_status(late, 2025, 4, today)[0] == "late"
    assert month_status(None, 2025, 4, today)[0] == "missing"
    assert month_status(None, 2025, 6, today)[0] == "open"
    assert month_status(None, 2025, 7, today)[0] == "future"


@pytest.fixture
def street_user(pages):
    user = get_user_model().objects.create_user("street_x", password="x", last_name="赵")
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    grant_role(pages["xinhua"], user, "editor")
    return user


def test_street_fills_a_month_late_and_the_district_comments(client, pages, street_user):
    items = list(MonthlyItem.objects.filter(district__slug="jiangbei", active=True))
    assert len(items) == 4
    number = next(item for item in items if item.kind == "number")
    text = next(item for item in items if item.kind == "text")
    url = f"/admin/evaluation/monthly/{pages['xinhua'].pk}/2019/5/"
    client.force_login(street_user)
    assert client.get(url).status_code == 200

    bad = {f"item_{item.pk}": "5" for item in items}
    bad[f"item_{number.pk}"] = "-3"
    bad[f"item_{text.pk}"] = ""
    response = client.post(url, bad)
    assert response.status_code == 400
    body = response.content.decode()
    assert "不能为负数" in body and "请填写此项" in body and 'value="5"' in body
    assert not MonthlyReport.objects.filter(year=2019).exists()

    good = {f"item_{item.pk}": "6" for item in items}
    good[f"item_{text.pk}"] = "结对共建三项"
    response = client.post(url, good, follow=True)
    assert "已逾期" in response.content.decode()
    report = MonthlyReport.objects.get(street=pages["xinhua"], year=2019, month=5)
    assert report.is_late and report.submitted_by == street_user
    assert MonthlyAnswer.objects.get(report=report, item=text).value == "结对共建三项"

    # A month that has not ended cannot be reported yet.
    today = timezone.localdate()
    future = client.get(
        f"/admin/evaluation/monthly/{pages['xinhua'].pk}/{today.year}/{today.month}/", follow=True
    )
    assert "尚未结束" in future.content.decode()
    # Another street's form is not theirs.
    assert client.get(f"/admin/evaluation/monthly/{pages['linjiang'].pk}/2019/5/").status_code in (
        302,
        403,
    )
    # The street sees its own row only, and may read but not comment.
    grid = client.get("/admin/evaluation/monthly/?year=2019").content.decode()
    assert "新华街道党工委" in grid and "临江街道党工委" not in grid and "逾期报送" in grid
    assert client.post(
        f"/admin/evaluation/monthly/report/{report.pk}/", {"comment": "x"}
    ).status_code in (302, 403)
    report.refresh_from_db()
    assert report.comment == ""

    # The district (publicity edits 江北区) sees every street's months and comments.
    login(client, "publicity")
    grid = client.get("/admin/evaluation/monthly/?year=2019").content.decode()
    assert "新华街道党工委" in grid and "临江街道党工委" in grid and "逾期未报" in grid
    assert (
        client.post(f"/admin/evaluation/monthly/report/{report.pk}/", {"comment": ""}).status_code
        == 400
    )
    client.post(
        f"/admin/evaluation/monthly/report/{report.pk}/", {"comment": "五月逾期，请按时报送。"}
    )
    report.refresh_from_db()
    assert report.comment == "五月逾期，请按时报送。" and report.commented_at is not None

    login(client, "member_a")
    assert client.get(f"/admin/evaluation/monthly/report/{report.pk}/").status_code in (302, 403)


def test_demo_months_on_the_grid(client, demo):
    year = timezone.localdate().year - 1
    login(client, "admin")
    response = client.get(f"/admin/evaluation/monthly/?year={year}")
    assert response.status_code == 200
    html = response.content.decode()
    reports = MonthlyReport.objects.filter(year=year)
    late = [r for r in reports if r.is_late]
    assert html.count('class="status-late"') == len(late) >= 1
    assert html.count('class="status-on_time"') == len(reports) - len(late)
