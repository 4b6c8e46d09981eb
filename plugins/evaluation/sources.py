"""Score sources: where a unit's yearly co-building score comes from.

A source is a key, a Chinese label, a function ``(unit_page, year) -> number or None``
(None: no data that year) and a scale saying how a value becomes 0..100 points:

* ``percent``: already 0..100 (评诺 scores, member ratings);
* ``ratio``: 0..1, times 100 (meeting attendance);
* ``count``: relative to the best unit of the same street that year (best = 100).

A source may also give ``batch``, ``(units, year) -> {unit pk: value}``, answering for
every unit of a street in a constant number of queries; without it the score asks
``function`` once per unit.

Built-in sources cover what this plugin owns or depends on: activities held,
appointments and member ratings. Other plugins add theirs (commitments and claims
from cobuilding, attendance from meetings) with the ``register_evaluation_sources``
hook, returning a list of ``Source`` built with ``plugins.evaluation.api``, so
evaluation never imports them and a source exists exactly when its plugin is
installed. Tests may also ``registry.register(Source(...))``.
"""

from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from plugins.access.models import Appointment
from plugins.activities.models import ActivityPage

PERCENT, RATIO, COUNT = "percent", "ratio", "count"


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    function: Callable
    scale: str = COUNT
    order: int = 100
    batch: Callable | None = None

    def value(self, unit, year):
        return self.function(unit, year)

    def values(self, units, year):
        """[value per unit] for ``units``, through ``batch`` when the source has one."""
        if self.batch is None:
            return [self.function(unit, year) for unit in units]
        found = self.batch(units, year)
        return [found.get(unit.pk) for unit in units]


class SourceRegistry:
    def __init__(self):
        self._sources = {}
        self._loaded = False

    def register(self, source):
        self._sources[source.key] = source
        return source

    def unregister(self, key):
        self._sources.pop(key, None)

    def _load_builtins(self):
        if not self._loaded:
            self._loaded = True
            found = list(builtin_sources())
            for hook in hooks.get_hooks("register_evaluation_sources"):
                found += hook() or ()
            for source in found:
                self._sources.setdefault(source.key, source)

    def all(self):
        self._load_builtins()
        return sorted(self._sources.values(), key=lambda s: (s.order, s.key))

    def get(self, key):
        self._load_builtins()
        return self._sources.get(key)

    @contextmanager
    def temporarily(self, *sources):
        """Register ``sources`` for the duration of a ``with`` block (tests)."""
        self._load_builtins()
        saved = dict(self._sources)
        for source in sources:
            self.register(source)
        try:
            yield self
        finally:
            self._sources = saved


registry = SourceRegistry()


# --- Built-in sources -----------------------------------------------------------------


def activities_held(unit, year):
    """Live activities of ``year`` the unit took part in or held (pages under it)."""
    return activities_held_by_unit([unit], year)[unit.pk]


def activities_held_by_unit(units, year):
    """{unit pk: activities_held} for ``units``, in two queries."""
    held = {unit.pk: set() for unit in units}
    if not held:
        return {}
    activities = ActivityPage.objects.live().filter(date__year=year)
    for activity_id, unit_id in activities.filter(participating_units__in=list(held)).values_list(
        "pk", "participating_units"
    ):
        held[unit_id].add(activity_id)
    by_path = {unit.path: unit.pk for unit in units}
    lengths = sorted({len(path) for path in by_path})
    under = Q(pk__in=[])
    for path in by_path:
        under |= Q(path__startswith=path)
    for activity_id, path in activities.filter(under).values_list("pk", "path"):
        for length in lengths:
            unit_id = by_path.get(path[:length])
            if unit_id is not None:
                held[unit_id].add(activity_id)
    return {pk: len(ids) for pk, ids in held.items()}


def appointments_served(unit, year):
    """Appointments of the unit's people (兼职委员, 联络员) that were in term during ``year``."""
    return appointments_served_by_unit([unit], year)[unit.pk]


def appointments_served_by_unit(units, year):
    """{unit pk: appointments_served} for ``units``, in two queries.

    An appointment counts for the unit it came from when it is the one that member held
    on that committee in ``year`` (``appointment_in_year``: the newest, unless removed
    before the year began), so all of a member's overlapping appointments to the
    committee are read, whichever unit they came from."""
    from .models.reports import in_post_during

    first, last = date(year, 1, 1), date(year, 12, 31)
    overlapping = Appointment.objects.filter(start_date__lte=last, end_date__gte=first)
    counts = {unit.pk: 0 for unit in units}
    pairs = set(
        overlapping.filter(source_unit__in=list(counts)).values_list("user_id", "committee_id")
    )
    if not pairs:
        return counts
    candidates = defaultdict(list)
    for appointment in overlapping.filter(
        user_id__in={user for user, _committee in pairs},
        committee_id__in={committee for _user, committee in pairs},
    ).order_by("-start_date", "-pk"):
        pair = (appointment.user_id, appointment.committee_id)
        if pair in pairs:
            candidates[pair].append(appointment)
    for appointments in candidates.values():
        held = in_post_during(appointments, year)
        if held is not None and held.source_unit_id in counts:
            counts[held.source_unit_id] += 1
    return counts


def member_ratings(unit, year):
    """Mean points of the closed 测评 grades of the unit's members for ``year`` (None: none)."""
    return member_ratings_by_unit([unit], year)[unit.pk]


def member_ratings_by_unit(units, year):
    """{unit pk: member_ratings} for ``units``, in one query."""
    from .grading import GRADE_POINTS, Grade
    from .models import RatingRound

    pks = [unit.pk for unit in units]
    points = {pk: [] for pk in pks}
    grades = (
        RatingRound.objects.filter(
            report__year=year, report__appointment__source_unit__in=pks, closed_at__isnull=False
        )
        .exclude(grade="")
        .values_list("report__appointment__source_unit_id", "grade")
    )
    for unit_id, grade in grades:
        points[unit_id].append(GRADE_POINTS[Grade(grade)])
    return {pk: sum(p) / len(p) if p else None for pk, p in points.items()}


def builtin_sources():
    sources = [
        Source("activities", _("参与活动"), activities_held, COUNT, 40,
               batch=activities_held_by_unit),
        Source("appointments", _("兼职委员履职"), appointments_served, COUNT, 50,
               batch=appointments_served_by_unit),
        Source("member_ratings", _("兼职委员测评"), member_ratings, PERCENT, 60,
               batch=member_ratings_by_unit),
    ]  # fmt: skip
    return sources
