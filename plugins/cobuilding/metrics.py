"""Dashboard metrics and score sources of the co-building lists (the evaluation
plugin's ``register_evaluation_metrics`` and ``register_evaluation_sources`` hooks,
registered in wagtail_hooks.py).

Imported only when plugins.evaluation is installed (it is optional for cobuilding).
What a scope counts:
  * a record of a community inside the viewer's subtrees, or one involving one of the
    viewer's units (a part-time member sees only their units' claims and projects, and
    the needs their units claimed);
  * the public summary: records of live, public communities only, and only moderated
    needs (never 待审核 or 未采纳 ones), claims of such needs or of offered resources.
"""

from collections import Counter

from django.db.models import Q, Value
from django.utils.translation import gettext_lazy as _

from plugins.evaluation.api import COUNT, PERCENT, Metric, Source, Table, units_of
from plugins.orgs.models import CommunityPage

from . import stats
from .models import (
    PUBLIC_NEED_STATUSES,
    Claim,
    ClaimStatus,
    Need,
    NeedStatus,
    Project,
    ProjectStatus,
    ResourceStatus,
)


def public_community_ids(scope):
    """Live, public communities (a subquery), made once per scope: ``public()`` itself costs
    a query (view restrictions)."""
    ids = getattr(scope, "public_community_ids", None)
    if ids is None:
        ids = CommunityPage.objects.live().public().values("pk")  # a subquery
        scope.public_community_ids = ids
    return ids


def _scoped(queryset, scope, unit_lookups):
    """``queryset`` narrowed to the scope: its communities' records or its units' ones."""
    if scope.public:
        queryset = queryset.filter(community__in=public_community_ids(scope))
    if scope.everything:
        return queryset
    q = scope.subtree_q("community__")
    for lookup in unit_lookups:
        q |= Q(**{f"{lookup}__in": scope.unit_ids})
    # Many-valued joins repeat rows: a pk subquery keeps the counts right.
    return queryset.filter(pk__in=queryset.model.objects.filter(q).values("pk"))


def visible_needs(scope):
    needs = Need.objects.filter(year=scope.year)
    if scope.public:
        needs = needs.filter(status__in=PUBLIC_NEED_STATUSES)
    return _scoped(needs, scope, ("claims__unit",))


def visible_claims(scope):
    claims = Claim.objects.filter(year=scope.year)
    if scope.public:
        claims = claims.filter(
            Q(need__status__in=PUBLIC_NEED_STATUSES)
            | (Q(need__isnull=True) & ~Q(resource__status=ResourceStatus.WITHDRAWN))
        )
    return _scoped(claims, scope, ("unit",))


def visible_projects(scope):
    projects = Project.objects.filter(year=scope.year)
    return _scoped(projects, scope, ("unit", "claims__unit", "resources__unit"))


def needs_and_claims_by_status(scope):
    """Needs by status (column 需求) and claims by status (column 认领), one row a status."""
    need_column, claim_column = str(_("需求")), str(_("认领"))
    # One query for both lists.
    rows = (
        visible_needs(scope)
        .order_by()
        .annotate(list=Value("need"))
        .values_list("status", "list")
        .union(
            visible_claims(scope)
            .order_by()
            .annotate(list=Value("claim"))
            .values_list("status", "list"),
            all=True,
        )
    )
    counts = Counter(rows)
    needs = {value: counts[(value, "need")] for value in NeedStatus.values}
    claims = {value: counts[(value, "claim")] for value in ClaimStatus.values}
    rows = []
    for value, label in NeedStatus.choices:
        if scope.public and value not in PUBLIC_NEED_STATUSES:
            continue  # the public never learns of unmoderated or turned-down needs
        rows.append((f"{_('需求')}·{label}", [needs[value], None]))
    for value, label in ClaimStatus.choices:
        rows.append((f"{_('认领')}·{label}", [None, claims[value]]))
    return Table(
        str(_("需求与认领状态")), str(_("状态")), [need_column, claim_column], rows, str(_("项"))
    )


def projects_progress(scope):
    """Each project of the year with its percent done, by status then target date."""
    order = {value: index for index, value in enumerate(ProjectStatus.values)}
    projects = sorted(
        visible_projects(scope).values_list("title", "status", "progress", "target_date", "pk"),
        key=lambda p: (order.get(p[1], 99), p[3] is None, p[3] or 0, p[4]),
    )
    labels = dict(ProjectStatus.choices)
    rows = [
        (f"{title}（{labels.get(status, status)}）", [progress])
        for title, status, progress, _date, _pk in projects
    ]
    return Table(str(_("共建项目进度")), str(_("项目")), [str(_("进度（%）"))], rows, "%")


def claims_completed(scope):
    """Each unit of the scope with its accepted claims that ended in a completed project."""
    units = units_of(scope)
    completed = stats.claims_completed_by_unit(units, scope.year)
    rows = [(unit.title, [completed[unit.pk]]) for unit in units]
    return Table(
        str(_("各单位完成认领数")), str(_("单位")), [str(_("完成认领"))], rows, str(_("项"))
    )


def metrics():
    return [
        Metric("claims", _("各单位完成认领数"), claims_completed, 30),
        Metric("needs_claims", _("需求与认领状态"), needs_and_claims_by_status, 32),
        Metric("projects", _("共建项目进度"), projects_progress, 34),
    ]


def sources():
    return [
        Source("commitments", _("履诺评诺"), stats.commitments_score, PERCENT, 10,
               batch=stats.commitments_scores),
        Source("claims", _("认领完成"), stats.claims_completed, COUNT, 30,
               batch=stats.claims_completed_by_unit),
    ]  # fmt: skip
