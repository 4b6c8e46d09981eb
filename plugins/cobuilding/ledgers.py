"""需求清单 and 资源清单 ledgers: what communities and units keep in Excel, imported.

A need is the same need when its community, year and title match (offices renumber
their sheets, so a row number or 序号 says nothing); a resource when its community,
unit, year and title match. Who may import into which community is the list's own
rule (``policies``): community managers import needs of their communities; unit
people and managers import resources of the units they may file for.
"""

from django.utils.translation import gettext_lazy as _

from gongjian_site.ledgers import Column, Ledger

from . import policies
from .admin import NeedAdmin, ResourceAdmin
from .models import Need, Resource, this_year


class NeedLedger(Ledger):
    key = "needs"
    title = _("需求清单")
    key_description = _("社区、年度和需求名称")
    admin_class = NeedAdmin
    columns = (
        Column("title", required=True),
        Column("community", "community"),
        Column("year", "int"),
        Column("category", "choice", required=True),
        Column("description"),
        Column("raised_by", required=True),
        Column("raised_on", "date"),
        Column("source", "choice"),
        Column("status", "choice"),
        Column("contact_phone"),
        Column("moderation_note"),
    )

    def communities(self, user):
        from plugins.access.api import record_policy
        from plugins.orgs.models import CommunityPage

        pages = CommunityPage.objects.order_by("path")
        policy = record_policy(Need)
        if policy.user_has_model_permission(user, "add"):
            return pages
        return pages.filter(
            pk__in=[p.pk for p in pages if policy.user_has_permission_for_page(user, "add", p)]
        )

    def natural_key(self, community, values):
        return (community.pk, values.get("year") or this_year(), values["title"])

    def find(self, community, values):
        year = values.get("year") or this_year()
        return (Need.objects.filter(community=community, year=year, title=values["title"])
                .order_by("pk").first())  # fmt: skip


class ResourceLedger(Ledger):
    key = "resources"
    title = _("资源清单")
    key_description = _("社区、提供单位、年度和资源名称")
    admin_class = ResourceAdmin
    columns = (
        Column("title", required=True),
        Column("unit", "unit", required=True),
        Column("community", "community"),
        Column("year", "int"),
        Column("category", "choice", required=True),
        Column("description"),
        Column("capacity"),
        Column("frequency"),
        Column("status", "choice"),
    )

    def communities(self, user):
        return policies.community_choices(user, Resource)

    def units(self, user):
        return policies.unit_choices(user, Resource)

    def can_import(self, user):
        from plugins.access.api import record_policy

        return record_policy(Resource).user_has_permission(user, "add") and super().can_import(user)

    def natural_key(self, community, values):
        unit = values["unit"]
        return (community.pk, unit.title, values.get("year") or this_year(), values["title"])

    def find(self, community, values):
        year = values.get("year") or this_year()
        return (Resource.objects.filter(community=community, unit=values["unit"], year=year,
                                        title=values["title"]).order_by("pk").first())  # fmt: skip


LEDGERS = [NeedLedger(), ResourceLedger()]
