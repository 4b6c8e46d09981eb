"""The co-building records' policies (see ``plugins.access.record_policy``).

Three kinds of people act on the lists:
  * managers of everything: superusers and holders of the model permissions (the
    共建清单管理员 group, e.g. district organisation-department staff);
  * the community side: whoever may *publish* the community's page, i.e. its secretary
    holding the Reviewer local role there (or on the street above);
  * the unit side (``ACT_FOR``): the part-time members and liaisons appointed to a
    resident unit, and Editors of the unit's page who do not manage its community.

A unit person sees and changes only their units' resources, claims, commitments and
fulfilments; the moderated needs of all communities are readable (they are on the
public boards anyway) so units can claim them. Claims change only through 接受/婉拒,
decided by the side that did not claim.
"""

from django.db.models import Q

from plugins.access.api import ACT_FOR, Reach, RecordPermissionPolicy, scope_of

ADMIN_GROUP = "共建清单管理员"


def _community():
    from plugins.orgs.models import CommunityPage

    return CommunityPage


def _unit():
    from plugins.orgs.models import ResidentUnitPage

    return ResidentUnitPage


def community(path="community"):
    return Reach(path, "publish", page_type=_community())


def unit(path="unit", many=False):
    return Reach(path, ACT_FOR, many=many)


ANY_UNIT = Reach(None, ACT_FOR)


class CobuildingPolicy(RecordPermissionPolicy):
    """Both sides see and change the record; only the community adds it."""

    def both(self):
        return (community(), unit())

    @property
    def reaches(self):
        both = self.both()
        return {"view": both, "change": both, "delete": both, "add": self.adders()}

    def adders(self):
        return (community(), ANY_UNIT)


class NeedPolicy(CobuildingPolicy):
    model_name = "cobuilding.Need"
    action_permissions = {"moderate": "change", "claim": "change"}

    @property
    def reaches(self):
        from .models import PUBLIC_NEED_STATUSES

        manage = (community(),)
        return {
            "view": (community(), Reach(None, ACT_FOR, where=("status", PUBLIC_NEED_STATUSES))),
            "add": manage, "change": manage, "delete": manage, "moderate": manage,
            "claim": (ANY_UNIT,),
        }  # fmt: skip


class ResourcePolicy(CobuildingPolicy):
    model_name = "cobuilding.Resource"
    action_permissions = {"claim": "change"}

    @property
    def reaches(self):
        return {**super().reaches, "claim": (community(),)}


class ClaimPolicy(CobuildingPolicy):
    """Made by 认领 only; decided (``decide``: 接受/婉拒) by the side that did not claim."""

    model_name = "cobuilding.Claim"
    action_permissions = {"decide": "change"}

    @property
    def reaches(self):
        from .models import ClaimKind

        return {
            "view": self.both(),
            "decide": (
                Reach("community", "publish", page_type=_community(),
                      where=("kind", (ClaimKind.NEED,))),
                Reach("unit", ACT_FOR, where=("kind", (ClaimKind.RESOURCE,))),
            ),
        }  # fmt: skip

    def allows(self, user, action, instance):
        return action != "add"


class ProjectPolicy(CobuildingPolicy):
    """The community runs its projects; the units taking part read them and report
    progress (``progress``: 进展, a dated update) on the projects they lead."""

    model_name = "cobuilding.Project"
    action_permissions = {"progress": "view", "add_progress": "change"}

    @property
    def reaches(self):
        manage = (community(),)
        view = (community(), unit(), unit("resources__unit", many=True),
                unit("claims__unit", many=True))  # fmt: skip
        return {"view": view, "progress": view, "add": manage, "change": manage,
                "delete": manage, "add_progress": self.both()}  # fmt: skip


class AgreementPolicy(CobuildingPolicy):
    model_name = "cobuilding.Agreement"
    action_permissions = {"docx": "view"}

    @property
    def reaches(self):
        manage = (community(),)
        both = self.both()
        return {"view": both, "docx": both, "add": manage, "change": manage, "delete": manage}


class CommitmentPolicy(CobuildingPolicy):
    """签诺 by both sides; 评诺 (``score``) by the community."""

    model_name = "cobuilding.Commitment"
    action_permissions = {"score": "change"}

    @property
    def reaches(self):
        return {**super().reaches, "score": (community(),)}


class FulfilmentPolicy(CobuildingPolicy):
    model_name = "cobuilding.Fulfilment"

    def both(self):
        return (community("commitment__community"), unit("commitment__unit"))


POLICIES = (NeedPolicy(), ResourcePolicy(), ClaimPolicy(), ProjectPolicy(), AgreementPolicy(),
            CommitmentPolicy(), FulfilmentPolicy())  # fmt: skip


# --- Choices in forms: where a user may file a record --------------------------------


def _is_manager(user, model):
    from plugins.access.api import record_policy

    return record_policy(model).user_has_model_permission(user, "add")


def community_choices(user, model=None):
    """Communities the user may file records under: the ones they manage, and for unit
    people the communities of their units' street (a unit co-builds within its street)."""
    from plugins.orgs.models import CommunityPage, ResidentUnitPage, StreetPage

    from .models import Need

    queryset = CommunityPage.objects.order_by("path")
    if _is_manager(user, model or Need):
        return queryset
    scope = scope_of(user)
    q = Q(pk__in=scope.ids("publish", CommunityPage))
    unit_paths = scope.paths(ACT_FOR)
    if unit_paths:
        # Two queries whatever the number of units: the streets, then each unit's.
        streets = list(StreetPage.objects.values_list("path", flat=True))
        steplen = ResidentUnitPage.steplen
        for path in unit_paths:
            street = next((s for s in streets if path.startswith(s)), None)
            q |= Q(path__startswith=street) if street else Q(path=path[:-steplen])
    return queryset.filter(q)


def unit_choices(user, model=None):
    """Units the user may file records for: their own, and those of communities they manage."""
    from plugins.orgs.models import CommunityPage, ResidentUnitPage

    from .models import Need

    queryset = ResidentUnitPage.objects.order_by("path")
    if _is_manager(user, model or Need):
        return queryset
    scope = scope_of(user)
    q = Q(pk__in=scope.ids(ACT_FOR))
    for path in scope.paths("publish", CommunityPage):
        q |= Q(path__startswith=path)
    return queryset.filter(q)


def claiming_units(user):
    """Units a need may be claimed for by ``user``: their own side's (managers: any)."""
    from plugins.orgs.models import ResidentUnitPage

    from .models import Need

    queryset = ResidentUnitPage.objects.order_by("path")
    if _is_manager(user, Need):
        return queryset
    return queryset.filter(pk__in=scope_of(user).ids(ACT_FOR))


def manages(user, community_id):
    """Whether ``user`` is the community side of ``community_id`` (or a manager)."""
    from .models import Need

    return _is_manager(user, Need) or community_id in scope_of(user).ids("publish", _community())


def acts_for(user, unit_id):
    from .models import Need

    return _is_manager(user, Need) or unit_id in scope_of(user).ids(ACT_FOR)
