"""Setup, demo meetings and the attendance figures (contract 3: stats.attendance_rate)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from plugins.meetings import stats
from plugins.meetings.models import Attendance, MeetingIndexPage, MeetingPage
from plugins.meetings.setup import setup
from plugins.orgs.models import CommunityPage, ResidentUnitPage, StreetPage

pytestmark = pytest.mark.django_db


def unit(slug):
    return ResidentUnitPage.objects.get(slug=slug)


def test_every_committee_gets_one_meeting_index_and_setup_is_idempotent(city):
    committees = StreetPage.objects.count() + CommunityPage.objects.count()
    assert MeetingIndexPage.objects.count() == committees
    setup()
    setup()
    assert MeetingIndexPage.objects.count() == committees
    index = MeetingIndexPage.objects.child_of(CommunityPage.objects.get(slug="xingfuli")).get()
    assert index.live and index.title == "会议"


def test_demo_meetings_of_community_a(city):
    community = CommunityPage.objects.get(slug="xingfuli")
    meetings = MeetingPage.objects.descendant_of(community)
    assert meetings.filter(kind="committee").count() == 4
    assert meetings.filter(kind="joint").count() == 2
    joint = meetings.filter(kind="joint", ad_hoc=False).get()
    assert joint.committee.pk == community.pk
    assert joint.attendances.count() == 7  # the committee without the liaison
    [absent] = joint.attendances.filter(present=False)
    assert absent.person_name == "孙明" and absent.absence_reason
    [first, _second] = joint.resolutions
    assert first.value["dissents"][0]["unit"].slug == "huaxin-tech"
    # the demo's ad hoc meeting shows the notice warning
    adhoc = meetings.get(ad_hoc=True)
    assert "仅 4 天" in adhoc.notice_warnings()[0]
    assert "会议记录：新建 6 条" in city


def test_attendance_rate_counts_meetings_attended_by_the_units_members(city):
    today = timezone.localdate()
    ua = unit("jiangan-no1-hospital")
    community = CommunityPage.objects.get(slug="xingfuli")
    past = list(MeetingPage.objects.descendant_of(community).filter(date__lte=today))
    this_year = [m for m in past if m.date.year == today.year]
    absent_ua = Attendance.objects.filter(
        source_unit=ua, present=False, meeting__date__year=today.year, meeting__date__lte=today
    ).count()
    expected = (len(this_year) - absent_ua) / len(this_year)
    assert stats.attendance_rate(ua, today.year) == pytest.approx(expected)
    assert stats.attendance_rate(ua, today.year - 5) is None
    assert stats.attendance_rate(unit("jiangbei-experimental-primary"), today.year) is None


@pytest.fixture
def calendar(city):
    """A fresh committee history on a fixed calendar: community B, 2025."""
    community = CommunityPage.objects.get(slug="guangming")
    index = MeetingIndexPage.objects.child_of(community).get()
    ub = unit("jiangbei-experimental-primary")
    other = unit("huaxin-tech")

    def meeting(day, rows, kind="committee"):
        page = MeetingPage(title=f"会议 {day}", slug=f"m-{day}", kind=kind, date=day)
        page.attendances = [
            Attendance(person_name=name, source_unit=src, present=present,
                       absence_reason="" if present else "出差")
            for name, src, present in rows
        ]  # fmt: skip
        index.add_child(instance=page)
        return page

    meeting(date(2025, 1, 6), [("甲", ub, True), ("乙", ub, False), ("丙", other, True)])
    meeting(date(2025, 2, 6), [("甲", ub, False), ("乙", ub, False), ("丙", other, True)])
    meeting(date(2025, 3, 6), [("甲", ub, True), ("丙", other, False)], kind="joint")
    meeting(date(2025, 12, 20), [("甲", ub, True)])  # after "today" below: not counted
    return {"ub": ub, "other": other, "community": community, "index": index}


def test_attendance_rate_on_a_fixed_calendar(calendar):
    today = date(2025, 12, 1)
    # UB: present at meeting 1 (甲), nobody at 2, 甲 at 3 -> 2 of 3
    assert stats.attendance_rate(calendar["ub"], 2025, today=today) == pytest.approx(2 / 3)
    assert stats.attendance_rate(calendar["other"], 2025, today=today) == pytest.approx(2 / 3)
    assert stats.attendance_rate(calendar["ub"], 2024, today=today) is None
    # once the December meeting has taken place it counts
    assert stats.attendance_rate(calendar["ub"], 2025, today=date(2025, 12, 31)) == 0.75
    # The batch form (dashboards, rankings) gives the same figures, None for no meetings.
    ub, other = calendar["ub"], calendar["other"]
    community = calendar["community"]
    assert stats.attendance_rates([ub, other.pk, community.pk], 2025, today=today) == {
        ub.pk: pytest.approx(2 / 3),
        other.pk: pytest.approx(2 / 3),
        community.pk: None,
    }
    assert stats.attendance_rates([], 2025) == {}


def test_member_rates_per_person(calendar):
    rows = Attendance.objects.filter(meeting__in=MeetingPage.objects.child_of(calendar["index"]))
    people = {p.person_name: p for p in stats.member_rates(rows, 2025, today=date(2025, 12, 1))}
    assert (people["甲"].expected, people["甲"].present, people["甲"].percent) == (3, 2, 67)
    assert (people["乙"].expected, people["乙"].present, people["乙"].percent) == (2, 0, 0)
    assert people["丙"].committee_title == calendar["community"].title


def test_meetings_in_the_recycle_bin_do_not_count(calendar):
    from plugins.recyclebin.models import RecycleBinPage

    today = date(2025, 12, 1)
    meeting = MeetingPage.objects.get(slug="m-2025-02-06")
    meeting.move(RecycleBinPage.get(), pos="last-child")
    assert stats.attendance_rate(calendar["ub"], 2025, today=today) == 1.0


def test_committee_marks_on_a_fixed_calendar(calendar):
    community = calendar["community"]
    marks = stats.committee_marks([community], today=date(2025, 3, 10))[community.pk]
    assert [m.level for m in marks] == ["ok", "ok"]
    marks = stats.committee_marks([community], today=date(2025, 4, 25))[community.pk]
    assert [m.level for m in marks] == ["red", "ok"]  # no committee meeting in March
    marks = stats.committee_marks([community], today=date(2025, 6, 26))[community.pk]
    assert [m.level for m in marks] == ["red", "amber"]
    marks = stats.committee_marks([community], today=date(2025, 7, 2))[community.pk]
    assert marks[1].level == "red" and "2025年第2季度" in marks[1].message


def test_new_community_gets_its_meeting_index(admin_client_city):
    street = StreetPage.objects.get(slug="xinhua")
    from django.urls import reverse

    url = reverse("wagtailadmin_pages:add", args=("orgs", "communitypage", street.pk))
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    response = admin_client_city.post(url, nested_form_data({
        "title": "新建社区大党委", "slug": "new-community", "intro": rich_text(""),
        "address": "", "phone": "", "committee_members": inline_formset([]),
    }))  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    community = CommunityPage.objects.get(slug="new-community")
    assert MeetingIndexPage.objects.child_of(community).count() == 1


def test_future_only(city):
    today = timezone.localdate()
    from plugins.meetings.models import upcoming_meetings

    upcoming = upcoming_meetings(CommunityPage.objects.get(slug="xingfuli"))
    assert upcoming and all(m.date >= today for m in upcoming)
    assert upcoming_meetings(CommunityPage.objects.get(slug="xingfuli"),
                             today=today + timedelta(days=400)) == []  # fmt: skip
