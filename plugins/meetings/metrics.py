"""Meeting attendance on the evaluation dashboard and in the yearly scores (the
evaluation plugin's ``register_evaluation_metrics`` and ``register_evaluation_sources``
hooks, registered in wagtail_hooks.py; imported only when plugins.evaluation is
installed, since evaluation is optional for meetings).

Both read ``stats.attendance_rates``, which answers for every unit of a scope in a
constant number of queries.
"""

from django.utils.translation import gettext_lazy as _

from plugins.evaluation.api import RATIO, Metric, Source, Table, units_of

from . import stats


def attendance_table(scope):
    """Each unit of the scope with the share of the year's meetings it attended (%)."""
    units = units_of(scope)
    rates = stats.attendance_rates(units, scope.year)  # one batch: the page lists every unit
    rows = []
    for unit in units:
        rate = rates[unit.pk]
        rows.append((unit.title, [None if rate is None else round(rate * 100, 1)]))
    return Table(str(_("各单位会议出席率")), str(_("单位")), [str(_("出席率（%）"))], rows, "%")


def metrics():
    return [Metric("attendance", _("各单位会议出席率"), attendance_table, 40)]


def sources():
    return [
        Source("attendance", _("会议出席"), stats.attendance_rate, RATIO, 20,
               batch=stats.attendance_rates)
    ]  # fmt: skip
