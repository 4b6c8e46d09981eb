"""What a dashboard viewer may see: the organisation subtrees and resident units.

A superuser or evaluation manager sees everything (or the organisation they pick); anyone
else sees the organisation pages they hold rights on (local roles: a secretary's
community, the publicity officer's district) and the units of their appointments in
term (a part-time member sees only their units). The public summary sees everything
published.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from wagtail.models import Page
from wagtail.permissions import policy_registry

from plugins.orgs.models import CommunityPage, OrganisationPage, ResidentUnitPage

from .policies import is_manager


@dataclass
class Scope:
    roots: list  # organisation pages whose whole subtree is visible
    year: int
    public: bool = False
    unit_ids: set = field(default_factory=set)
    everything: bool = False

    def __post_init__(self):
        paths = sorted(root.path for root in self.roots)
        kept = []
        for path in paths:
            if not kept or not path.startswith(kept[-1]):
                kept.append(path)
        self.roots = sorted(
            (root for root in self.roots if root.path in kept), key=lambda page: page.path
        )
        if self.everything:
            units = ResidentUnitPage.objects.all()
        else:
            units = ResidentUnitPage.objects.filter(self.subtree_q()) if self.roots else None
        if units is not None:
            if self.public:
                units = units.live()
            self.unit_ids = set(units.values_list("pk", flat=True))

    def subtree_q(self, prefix=""):
        """A Q matching pages (``prefix`` + path) inside the visible subtrees."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        for root in self.roots:
            q |= Q(**{f"{prefix}path__startswith": root.path})
        return q

    @property
    def label(self):
        if self.everything:
            return "全部"
        return "、".join(root.title for root in self.roots) or "无"

    def communities(self):
        """Communities inside the visible subtrees, or holding a visible unit (published
        ones only in a public scope: a draft community's name is not public yet)."""
        pages = CommunityPage.objects.order_by("path")
        if self.public:
            pages = pages.live()
        if self.everything:
            return list(pages)
        unit_paths = ResidentUnitPage.objects.filter(pk__in=self.unit_ids).values_list(
            "path", flat=True
        )
        steplen = Page.steplen
        parent_paths = {path[: len(path) - steplen] for path in unit_paths}
        q = self.subtree_q() | Q(path__in=parent_paths)
        return list(pages.filter(q))


def viewer_roots(user):
    """Organisation pages the user holds any page permission on (one cached query set)."""
    policy = policy_registry.get_by_type(Page)
    page_ids = {perm.page_id for perm in policy.get_cached_permissions_for_user(user)}
    return list(OrganisationPage.objects.filter(pk__in=page_ids).order_by("path"))


def scope_for(user, year, organisation=None):
    """The viewer's scope; ``organisation`` narrows it to one page they may see.

    Returns None when ``organisation`` lies outside what the user may see."""
    if is_manager(user):
        if organisation is None:
            return Scope(roots=[], year=year, everything=True)
        return Scope(roots=[organisation], year=year)
    roots = viewer_roots(user)
    if organisation is None:
        return Scope(roots=roots, year=year)
    if any(organisation.path.startswith(root.path) for root in roots):
        return Scope(roots=[organisation], year=year)
    return None


def public_scope(year):
    return Scope(roots=[], year=year, public=True, everything=True)
