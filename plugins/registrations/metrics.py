"""Dashboard metric of the three registration tables: submissions per month (the
evaluation plugin's ``register_evaluation_metrics`` hook, registered in
wagtail_hooks.py; imported only when plugins.evaluation is installed).

A month is the local month of ``submitted_at`` (first submission; a repeated
submission updates the record and does not count again). Returned records
(已退回) are not registrations and never count. A scope counts the records of its
communities and, for unit tables, of its units (a part-time member: their units'
records only); the public summary counts approved records of live, public
communities only.
"""

from collections import Counter

from django.db.models import Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plugins.evaluation.api import Metric, Table, months
from plugins.orgs.models import CommunityPage

from .models import MemberCheckIn, Status, UnitCheckIn, UnitSurvey

TABLES = (
    (UnitSurvey, _("单位摸排登记")),
    (UnitCheckIn, _("单位党组织报到")),
    (MemberCheckIn, _("在职党员报到")),
)


def visible_registrations(model, scope):
    records = model.objects.filter(submitted_at__year=scope.year).exclude(status=Status.REJECTED)
    if scope.public:
        # Made once per scope (``public()`` costs a query) and shared with cobuilding.
        ids = getattr(scope, "public_community_ids", None)
        if ids is None:
            ids = CommunityPage.objects.live().public().values("pk")  # a subquery
            scope.public_community_ids = ids
        records = records.filter(status=Status.APPROVED, community__in=ids)
    if scope.everything:
        return records
    q = scope.subtree_q("community__")
    if model is not MemberCheckIn:
        q |= Q(unit__in=scope.unit_ids)
    return records.filter(q)


def registrations_per_month(scope):
    columns = [str(label) for _model, label in TABLES]
    # One query for the three tables: (submitted_at, table index) rows.
    querysets = [
        visible_registrations(model, scope)
        .order_by()
        .annotate(table=Value(index))
        .values_list("submitted_at", "table")
        for index, (model, _label) in enumerate(TABLES)
    ]
    counts = [Counter() for _table in TABLES]
    for moment, index in querysets[0].union(*querysets[1:], all=True):
        counts[index][timezone.localtime(moment).month] += 1
    rows = [
        (label, [count[month] for count in counts]) for month, label in enumerate(months(), start=1)
    ]
    return Table(str(_("每月报到登记数")), str(_("月份")), columns, rows, str(_("份")))


def metrics():
    return [Metric("registrations", _("每月报到登记数"), registrations_per_month, 70)]
