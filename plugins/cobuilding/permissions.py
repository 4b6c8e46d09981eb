"""Who may see and change co-building records, decided in one place.

Three kinds of people act on the lists:
  * managers of everything: superusers and holders of the model permissions (the
    共建清单管理员 group, e.g. district organisation-department staff);
  * community managers: whoever may *publish* the community's page, i.e. its
    secretary holding the Reviewer local role there (or on the street above);
  * unit people: whoever may *edit* a resident unit's page, i.e. the part-time
    members and liaisons appointed to it (``appointed_unit_ids``) or granted the
    Editor role on it.

A unit person sees and changes only their units' resources, claims, commitments
and fulfilments; the moderated needs of all communities are readable (they are on
the public boards anyway) so units can claim them. Views look records up through
``visible()`` (another unit's record answers 404) and check ``can_change()`` (403).
"""

import contextlib
from dataclasses import dataclass

from django.db.models import Q
from wagtail.models import Page
from wagtail.permissions import policy_registry

ADMIN_GROUP = "共建清单管理员"


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    communities: frozenset = frozenset()  # CommunityPage ids the user manages
    units: frozenset = frozenset()  # ResidentUnitPage ids the user acts for

    @property
    def any(self):
        return self.everything or bool(self.communities or self.units)

    def manages(self, community_id):
        return self.everything or community_id in self.communities

    def acts_for(self, unit_id):
        return self.everything or unit_id in self.units


def scope_for(user):
    """The user's scope, cached on the user object (one request)."""
    cached = getattr(user, "_cobuilding_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    with contextlib.suppress(AttributeError):  # in case a user class refuses new attributes
        user._cobuilding_scope = scope
    return scope


def _compute_scope(user):
    if not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser or user.has_perm("cobuilding.change_project"):
        return Scope(everything=True)
    from plugins.access.policy import appointed_unit_ids
    from plugins.orgs.models import CommunityPage, ResidentUnitPage

    policy = policy_registry.get_by_type(Page)
    publishable = policy.instances_user_has_any_permission_for(user, {"publish"})
    editable = policy.instances_user_has_any_permission_for(user, {"change"})
    communities = list(CommunityPage.objects.filter(pk__in=publishable.values("pk"))
                       .values_list("pk", "path"))  # fmt: skip
    # A secretary can edit the unit pages under their community, but in a claim they
    # are the community's side: units count as theirs only by appointment there.
    managed = Q()
    for _pk, path in communities:
        managed |= Q(path__startswith=path)
    editable_units = ResidentUnitPage.objects.filter(pk__in=editable.values("pk"))
    if communities:
        editable_units = editable_units.exclude(managed)
    units = set(editable_units.values_list("pk", flat=True)) | set(appointed_unit_ids(user))
    return Scope(communities=frozenset(pk for pk, _path in communities), units=frozenset(units))


def forget_scope(user):
    if hasattr(user, "_cobuilding_scope"):
        del user._cobuilding_scope


# --- Per model rules ----------------------------------------------------------------


def _scoped_q(scope, community="community", units=("unit",)):
    q = Q(**{f"{community}__in": scope.communities})
    for lookup in units:
        q |= Q(**{f"{lookup}__in": scope.units})
    return q


def visible_q(model, scope):
    """The ``Q`` of the ``model`` records a (non-global) scope may read."""
    from . import models as m

    if model is m.Need:
        q = Q(community__in=scope.communities)
        if scope.units:
            q |= Q(status__in=m.PUBLIC_NEED_STATUSES)
        return q
    if model is m.Project:
        return _scoped_q(scope, units=("unit", "resources__unit", "claims__unit"))
    if model is m.Fulfilment:
        return _scoped_q(scope, "commitment__community", ("commitment__unit",))
    return _scoped_q(scope)


def visible(model, user, queryset=None):
    """``model`` records ``user`` may read (a queryset; everything for global managers)."""
    queryset = model._default_manager.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.everything:
        return queryset
    if not scope.any:
        return queryset.none()
    q = visible_q(model, scope)
    # Joins through many-valued relations can repeat rows; a pk subquery keeps the
    # caller's queryset free of DISTINCT (which would upset ordering and counts).
    return queryset.filter(pk__in=model._default_manager.filter(q).values("pk"))


def can_read(user, obj):
    """Whether ``user`` may read ``obj``: decided from its fields where they suffice
    (list rows ask this once each), by query only for a project's resources and claims."""
    from . import models as m

    scope = scope_for(user)
    if scope.everything:
        return True
    if isinstance(obj, m.Fulfilment):
        obj = obj.commitment
    if scope.manages(obj.community_id):
        return True
    if isinstance(obj, m.Need):
        return bool(scope.units) and obj.status in m.PUBLIC_NEED_STATUSES
    if getattr(obj, "unit_id", None) is not None and scope.acts_for(obj.unit_id):
        return True
    if isinstance(obj, m.Project) and scope.units:
        return visible(m.Project, user, m.Project.objects.filter(pk=obj.pk)).exists()
    return False


def can_change(user, obj):
    """Whether ``user`` may edit ``obj`` through its form."""
    from . import models as m

    scope = scope_for(user)
    if scope.everything:
        return True
    if isinstance(obj, m.Fulfilment):
        obj = obj.commitment
        return scope.manages(obj.community_id) or scope.acts_for(obj.unit_id)
    if isinstance(obj, (m.Need, m.Project, m.Agreement)):
        return scope.manages(obj.community_id)
    if isinstance(obj, (m.Resource, m.Commitment)):
        return scope.manages(obj.community_id) or scope.acts_for(obj.unit_id)
    return False  # claims change only through the accept / decline actions


def can_add_progress(user, project):
    scope = scope_for(user)
    return scope.manages(project.community_id) or (
        project.unit_id is not None and scope.acts_for(project.unit_id)
    )


def can_create(user, model):
    from . import models as m

    scope = scope_for(user)
    if scope.everything:
        return True
    if model in (m.Need, m.Project, m.Agreement):
        return bool(scope.communities)
    if model in (m.Resource, m.Commitment, m.Fulfilment):
        return bool(scope.communities or scope.units)
    return False


def can_decide(user, claim):
    """The side that did not claim decides: the community for a need, the unit for a resource."""
    from .models import ClaimKind

    scope = scope_for(user)
    if claim.kind == ClaimKind.NEED:
        return scope.manages(claim.community_id)
    return scope.acts_for(claim.unit_id)


def community_choices(user):
    """Communities the user may file records under: the ones they manage, and for unit
    people the communities of their units' street (a unit co-builds within its street)."""
    from plugins.orgs.models import CommunityPage, ResidentUnitPage, StreetPage

    scope = scope_for(user)
    queryset = CommunityPage.objects.order_by("path")
    if scope.everything:
        return queryset
    q = Q(pk__in=scope.communities)
    for unit in ResidentUnitPage.objects.filter(pk__in=scope.units).only("path", "depth"):
        street = StreetPage.objects.ancestor_of(unit).only("path").first()
        q |= Q(path__startswith=street.path) if street else Q(pk=unit.get_parent().pk)
    return queryset.filter(q)


def unit_choices(user):
    """Units the user may file records for: their own, and those of communities they manage."""
    from plugins.orgs.models import CommunityPage, ResidentUnitPage

    scope = scope_for(user)
    queryset = ResidentUnitPage.objects.order_by("path")
    if scope.everything:
        return queryset
    q = Q(pk__in=scope.units)
    for community in CommunityPage.objects.filter(pk__in=scope.communities).only("path"):
        q |= Q(path__startswith=community.path)
    return queryset.filter(q)
