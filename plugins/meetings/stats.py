"""Attendance figures and overdue marks read from the meeting records (public API).

Meetings count once they have taken place (date on or before ``today``), whether or not
their minutes are published yet: attendance happened even while the minutes wait in the
会议纪要公示 workflow. Meetings in the recycle bin do not count.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.utils import timezone
from wagtail.models import Page

from . import rules
from .models import Attendance, MeetingPage


def counted_meetings(today=None):
    """Meetings that took place by ``today`` and are not in the recycle bin."""
    today = today or timezone.localdate()
    meetings = MeetingPage.objects.filter(date__lte=today)
    return _outside_bin(meetings)


def _outside_bin(queryset):
    if apps.is_installed("plugins.recyclebin"):
        # Lazy: the recycle bin is optional, and a left-out plugin's models cannot load.
        from plugins.recyclebin.models import RecycleBinPage

        bin_page = RecycleBinPage.objects.only("path").first()
        if bin_page is not None:
            queryset = queryset.exclude(path__startswith=bin_page.path)
    return queryset


def attendance_rate(unit_page, year, today=None):
    """Share (0..1) of the year's meetings attended by the members from ``unit_page``.

    A meeting counts as attended when at least one member whose source unit is the
    unit was present. None when the unit had no one expected at any meeting that year."""
    return attendance_rates([unit_page], year, today)[unit_page.pk]


def attendance_rates(units, year, today=None):
    """{unit pk: attendance_rate} for ``units`` (pages or pks), in a constant number of
    queries however many units there are (dashboards and rankings list every unit)."""
    pks = [getattr(unit, "pk", unit) for unit in units]
    rates = dict.fromkeys(pks)
    if not pks:
        return rates
    rows = Attendance.objects.filter(
        source_unit__in=pks,
        meeting__in=counted_meetings(today).filter(date__year=year),
    ).values_list("source_unit_id", "meeting_id", "present")
    attended = defaultdict(lambda: defaultdict(bool))
    for unit_id, meeting_id, present in rows:
        attended[unit_id][meeting_id] |= present
    for unit_id, meetings in attended.items():
        rates[unit_id] = sum(meetings.values()) / len(meetings)
    return rates


@dataclass
class MemberAttendance:
    """One part-time member's year: meetings expected, attended, absences with reasons."""

    person_name: str
    unit_id: int
    unit_title: str
    committee_title: str = ""
    expected: int = 0
    present: int = 0

    @property
    def rate(self):
        return self.present / self.expected if self.expected else None

    @property
    def percent(self):
        return None if self.rate is None else round(self.rate * 100)


def member_rates(attendances, year, today=None):
    """Yearly attendance per member from a unit (part-time members and the like).

    ``attendances`` is an ``Attendance`` queryset already scoped to what the viewer may
    see; rows without a source unit (the community's own cadres) are left out. Members
    are keyed by name and unit, as seats may have been deleted since (SET_NULL)."""
    rows = (
        attendances.filter(
            source_unit__isnull=False,
            meeting__in=counted_meetings(today).filter(date__year=year),
        )
        .select_related("source_unit")
        .values_list("person_name", "source_unit_id", "source_unit__title", "meeting__path",
                     "present")
    )  # fmt: skip
    rows = list(rows)
    steplen = Page.steplen
    committee_paths = {path[: -2 * steplen] for *_rest, path, _present in rows}
    titles = dict(Page.objects.filter(path__in=committee_paths).values_list("path", "title"))
    people = {}
    for name, unit_id, unit_title, path, present in rows:
        committee = titles.get(path[: -2 * steplen], "")
        key = (name, unit_id, committee)
        entry = people.get(key)
        if entry is None:
            entry = people[key] = MemberAttendance(name, unit_id, unit_title, committee)
        entry.expected += 1
        entry.present += int(present)
    return sorted(people.values(), key=lambda e: (e.committee_title, e.unit_title, e.person_name))


def committee_marks(committees, today=None):
    """{committee page id: [Mark, Mark]} for each committee page, from one query."""
    today = today or timezone.localdate()
    committees = list(committees)
    # Enough history for the previous quarter and whatever is scheduled after today.
    start, _end = rules.quarter_bounds(today)
    since = rules.quarter_bounds(date.fromordinal(start.toordinal() - 1))[0]
    steplen = Page.steplen
    by_path = {committee.path: committee.pk for committee in committees}
    dates = defaultdict(list)
    if by_path:
        meetings = _outside_bin(MeetingPage.objects.filter(date__gte=since))
        for path, day, kind in meetings.values_list("path", "date", "kind"):
            committee_id = by_path.get(path[: -2 * steplen])
            if committee_id is not None:
                dates[committee_id].append((day, kind))
    return {c.pk: rules.overdue_marks(dates[c.pk], today) for c in committees}
