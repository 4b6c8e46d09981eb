"""Dashboard metrics: each a function ``(scope) -> Table`` registered by key.

The dashboard, the public summary, the charts, the accessible tables and the Excel
downloads all read these functions, so a number shown is a number computed here,
once. Built-in metrics cover what this plugin owns or depends on: activities and
member ratings. Every other plugin adds its own (attendance from meetings; claims,
needs and projects from cobuilding; registrations per month) with the
``register_evaluation_metrics`` hook, returning a list of ``Metric`` built with
``plugins.evaluation.api``: evaluation never imports them, so each is shown exactly
when its plugin is installed and the dependency points from the figure's owner to
the dashboard, not back.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page

from plugins.activities.models import ActivityPage
from plugins.orgs.models import ResidentUnitPage

from .grading import Grade


@dataclass
class Table:
    """Rows of numbers: ``rows`` is [(row label, [one value per column])]."""

    title: str
    row_heading: str
    columns: list
    rows: list = field(default_factory=list)
    unit: str = ""

    def total(self):
        return sum(v or 0 for _label, values in self.rows for v in values)

    def cell(self, row_label, column):
        index = self.columns.index(column)
        for label, values in self.rows:
            if label == row_label:
                return values[index]
        raise KeyError(row_label)


@dataclass(frozen=True)
class Metric:
    key: str
    title: str
    function: Callable
    order: int = 100
    public: bool = True  # shown on the public summary page

    def table(self, scope):
        return self.function(scope)


def months():
    return [f"{month}月" for month in range(1, 13)]


# --- Built-in metrics ---------------------------------------------------------------


def visible_activities(scope):
    """Activities of the scope's year inside its subtrees or with one of its units."""
    activities = ActivityPage.objects.live().filter(date__year=scope.year)
    if scope.public:
        activities = activities.public()
    if not scope.everything:
        activities = activities.filter(
            scope.subtree_q() | Q(participating_units__in=scope.unit_ids)
        ).distinct()
    return activities


def activities_per_month(scope):
    """Activities per month per community (an activity above any community: 街道及其他)."""
    communities = scope.communities()
    by_path = {community.path: community for community in communities}
    other = str(_("街道及其他"))
    steplen = Page.steplen
    counts = Counter()
    for path, day in visible_activities(scope).values_list("path", "date"):
        community = None
        for end in range(steplen, len(path), steplen):
            community = by_path.get(path[:end]) or community
        counts[(day.month, community.title if community else other)] += 1
    columns = [community.title for community in communities]
    if any(name == other for _month, name in counts):
        columns.append(other)
    rows = [
        (label, [counts[(month, column)] for column in columns])
        for month, label in enumerate(months(), start=1)
    ]
    return Table(str(_("各社区每月活动数")), str(_("月份")), columns, rows, str(_("次")))


def visible_rounds(scope):
    from .models import RatingRound

    rounds = RatingRound.objects.filter(report__year=scope.year, closed_at__isnull=False)
    if not scope.everything:
        rounds = rounds.filter(
            scope.subtree_q("report__committee__")
            | Q(report__appointment__source_unit__in=scope.unit_ids)
        ).distinct()
    return rounds


def ratings_distribution(scope):
    """Closed rating rounds of the year by grade (测评无效: too few votes)."""
    counts = Counter(visible_rounds(scope).values_list("grade", flat=True))
    rows = [(str(label), [counts[value]]) for value, label in Grade.choices]
    rows.append((str(_("测评无效")), [counts[""]]))
    return Table(
        str(_("兼职委员测评结果分布")), str(_("测评结果")), [str(_("人数"))], rows, str(_("人"))
    )


def units_of(scope):
    """The scope's resident units in tree order: the rows of a per-unit metric."""
    return list(ResidentUnitPage.objects.filter(pk__in=scope.unit_ids).order_by("path"))


def builtin_metrics():
    return [
        Metric("activities", _("各社区每月活动数"), activities_per_month, 10),
        Metric("ratings", _("兼职委员测评结果分布"), ratings_distribution, 60),
    ]


def all_metrics():
    metrics = {metric.key: metric for metric in builtin_metrics()}
    for hook in hooks.get_hooks("register_evaluation_metrics"):
        for metric in hook() or ():
            metrics[metric.key] = metric
    return sorted(metrics.values(), key=lambda m: (m.order, m.key))


def get_metric(key):
    return next((metric for metric in all_metrics() if metric.key == key), None)
