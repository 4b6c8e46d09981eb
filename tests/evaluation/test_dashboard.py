"""Dashboards: numbers equal direct counts, scoped to the viewer, Excel opens, public page."""

import io
from collections import Counter
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from gongjian_site import clock
from plugins.activities.models import ActivityPage
from plugins.evaluation.metrics import (
    Metric,
    activities_per_month,
    all_metrics,
    ratings_distribution,
)
from plugins.evaluation.models import Award, RatingRound
from plugins.evaluation.scope import scope_for
from plugins.orgs.models import CommunityPage, ResidentUnitPage
from tests.conftest import login


def _xlsx_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_numbers_equal_direct_counts(client, pages, users):
    year = clock.today().year - 1
    scope = scope_for(users["admin"], year)
    table = activities_per_month(scope)
    activities = ActivityPage.objects.live().filter(date__year=year)
    assert table.total() == activities.count() == 5
    for community in CommunityPage.objects.all():
        direct = Counter(a.date.month for a in activities.descendant_of(community))
        for month in range(1, 13):
            assert table.cell(f"{month}月", community.title) == direct[month]
    ratings = ratings_distribution(scope)
    direct = Counter(
        RatingRound.objects.filter(report__year=year, closed_at__isnull=False).values_list(
            "grade", flat=True
        )
    )
    assert ratings.cell("优秀", "人数") == direct["excellent"] == 1
    assert ratings.total() == sum(direct.values())

    # The admin page shows the same numbers, as a chart and as a table, and as Excel.
    login(client, "admin")
    response = client.get(f"/admin/evaluation/dashboard/?year={year}")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="chart"') == len(all_metrics()) and "<table" in html
    assert '<title id="chart-activities-title">各社区每月活动数</title>' in html
    rows = _xlsx_rows(client.get(f"/admin/evaluation/dashboard/activities.xlsx?year={year}"))
    header = rows[1]
    assert header[0] == "月份" and "幸福里社区大党委" in header
    column = header.index("幸福里社区大党委")
    assert sum(row[column] for row in rows[2:]) == activities.descendant_of(pages["A"]).count() == 4
    assert client.get("/admin/evaluation/dashboard/nonsense.xlsx").status_code == 404
    assert client.get("/admin/evaluation/dashboard/?year=abc").status_code == 200


def test_part_time_member_sees_only_their_units(client, pages, users):
    year = clock.today().year - 1
    scope = scope_for(users["member_a"], year)
    assert [root.slug for root in scope.roots] == ["jiangan-no1-hospital"]
    table = activities_per_month(scope)
    direct = ActivityPage.objects.live().filter(date__year=year, participating_units=pages["UA"])
    assert table.columns == ["幸福里社区大党委"] and table.total() == direct.count() == 3
    login(client, "member_a")
    html = client.get(f"/admin/evaluation/dashboard/?year={year}").content.decode()
    assert "光明社区大党委" not in html and "幸福里社区大党委" in html
    rows = _xlsx_rows(client.get(f"/admin/evaluation/dashboard/activities.xlsx?year={year}"))
    assert rows[1] == ("月份", "幸福里社区大党委")
    assert sum(row[1] for row in rows[2:]) == 3
    # Another community is outside what they may see.
    response = client.get(f"/admin/evaluation/dashboard/?org={pages['B'].pk}")
    assert response.status_code in (302, 403)
    # The secretary of community A sees A, not B; narrowing to A works.
    login(client, "secretary_a")
    html = client.get(
        f"/admin/evaluation/dashboard/?year={year}&org={pages['A'].pk}"
    ).content.decode()
    assert "幸福里社区大党委" in html and "光明社区大党委" not in html


# The public summary's queries on the demo (19, of which 2 list the districts and streets
# that have a 大屏: the pages, and their view restrictions); the same with 30 more units.
STATISTICS_QUERIES = 19


def _statistics_queries(client, year):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/evaluation/statistics/?year={year}")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _add_units(community, year, count):
    """``count`` live units under ``community``, each at a meeting of ``year`` (present)
    and with an accepted claim whose project is done."""
    from plugins.archive.api import publish_fields
    from plugins.cobuilding.models import Claim, ClaimKind, ClaimStatus, Project, ProjectStatus
    from plugins.meetings.models import Attendance, MeetingIndexPage, MeetingPage

    units = []
    for n in range(count):
        unit = ResidentUnitPage(title=f"批量单位{n:02d}", slug=f"batch-unit-{n}",
                                kind="private_firm", **publish_fields())  # fmt: skip
        community.add_child(instance=unit)
        units.append(unit)
    meeting = MeetingPage(title="批量会议", slug="batch-meeting", kind="committee",
                          date=date(year, 6, 1))  # fmt: skip
    meeting.attendances = [
        Attendance(person_name=f"委员{n}", source_unit=unit, present=n % 2 == 0,
                   absence_reason="" if n % 2 == 0 else "出差")
        for n, unit in enumerate(units)
    ]  # fmt: skip
    MeetingIndexPage.objects.child_of(community).get().add_child(instance=meeting)
    for unit in units:
        project = Project.objects.create(community=community, year=year, title=unit.title,
                                         unit=unit, status=ProjectStatus.DONE)  # fmt: skip
        Claim.objects.create(kind=ClaimKind.RESOURCE, community=community, year=year,
                             unit=unit, status=ClaimStatus.ACCEPTED, project=project)  # fmt: skip
    return units


def test_public_summary_queries_do_not_grow_with_units(client, pages):
    year = clock.today().year - 1
    _statistics_queries(client, year)  # warm the per-process caches (site, menus)
    before, _html = _statistics_queries(client, year)
    units = _add_units(pages["A"], year, 30)
    after, html = _statistics_queries(client, year)
    assert after == before <= STATISTICS_QUERIES, (before, after)
    # The new units are on the page with their figures: 50 % / 100 %, one claim each.
    assert units[0].title in html and units[-1].title in html
    from plugins.evaluation.metrics import get_metric
    from plugins.evaluation.scope import public_scope

    scope = public_scope(year)
    # Both come from their plugins' hooks (meetings, cobuilding), not from evaluation.
    rates, claims = get_metric("attendance").table(scope), get_metric("claims").table(scope)
    for n, unit in enumerate(units):
        assert rates.cell(unit.title, "出席率（%）") == (100.0 if n % 2 == 0 else 0.0)
        assert claims.cell(unit.title, "完成认领") == 1


def test_public_summary_and_hook(client, demo, django_assert_max_num_queries):
    from wagtail import hooks

    year = clock.today().year - 1
    with django_assert_max_num_queries(STATISTICS_QUERIES):
        response = client.get(f"/evaluation/statistics/?year={year}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "各社区每月活动数" in html and "新华街道党工委" in html
    rows = _xlsx_rows(client.get(f"/evaluation/statistics/activities.xlsx?year={year}"))
    direct = ActivityPage.objects.live().public().filter(date__year=year).count()
    assert sum(sum(v for v in row[1:]) for row in rows[2:]) == direct == 5

    def registrations(scope):
        from plugins.evaluation.metrics import Table

        return Table("每月报到人数", "月份", ["人数"], [("1月", [7])])

    with hooks.register_temporarily(
        "register_evaluation_metrics",
        lambda: [Metric("registrations", "每月报到人数", registrations, 70)],
    ):
        html = client.get(f"/evaluation/statistics/?year={year}").content.decode()
        assert "每月报到人数" in html
        assert _xlsx_rows(client.get("/evaluation/statistics/registrations.xlsx"))[2] == ("1月", 7)


def test_awards_show_on_the_organisation_page(client, pages):
    award = Award.objects.get(kind="excellent_part_time_member")
    html = client.get(pages["UA"].url).content.decode()
    assert "荣誉表彰" in html and award.display_title in html and award.person_name in html
    assert "荣誉表彰" not in client.get(pages["UB"].url).content.decode()


def test_award_needs_a_person_for_personal_honours(pages):
    import pytest
    from django.core.exceptions import ValidationError

    award = Award(kind="excellent_member", year=2025, organisation=pages["UA"])
    with pytest.raises(ValidationError) as error:
        award.full_clean()
    assert "个人荣誉请填写获奖人姓名" in str(error.value)
    award = Award(
        kind="advanced_organisation", year=1900, organisation=pages["A"], person_name="某"
    )
    with pytest.raises(ValidationError) as error:
        award.full_clean()
    assert "请填写正确的年度" in str(error.value)
