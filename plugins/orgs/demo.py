"""Demo profile of the orgs plugin: the invented city of 江安 and the demo accounts.

Pages are looked up by slug under their parent and only created when missing,
so running it again changes nothing and never overwrites what an editor changed.
"""

import json
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from gongjian_site import changes
from gongjian_site.pages import record_live_revisions

from .models import (
    AreaBranchPage,
    CityPage,
    CoBuildingCirclePage,
    CommitteeMember,
    CommunityPage,
    DistrictPage,
    GridBranchPage,
    OrganisationPage,
    ParkPage,
    PartyGroupPage,
    ResidentUnitPage,
    StreetPage,
)
from .setup import STAFF_GROUP

FIXTURES = settings.BASE_DIR / "fixtures" / "demo"

PAGE_TYPES = {
    "city": CityPage,
    "district": DistrictPage,
    "street": StreetPage,
    "area_branch": AreaBranchPage,
    "community": CommunityPage,
    "grid": GridBranchPage,
    "party_group": PartyGroupPage,
    "unit": ResidentUnitPage,
    "park": ParkPage,
    "circle": CoBuildingCirclePage,
}
# Plain fields a node may set; relations (committee, circle units): see _set_relations.
FIELDS = ("intro", "address", "phone", "kind", "party_organisation", "party_member_count",
          "grids", "host")  # fmt: skip


def current_term(today=None):
    """A three-year term that is running today: it began on 1 January last year.

    Relative to today so the demo committees stay in term whenever it is loaded."""
    today = today or timezone.localdate()
    start = date(today.year - 1, 1, 1)
    return start, date(start.year + 3, 1, 1) - timedelta(days=1)


def load_demo(stdout):
    data = json.loads((FIXTURES / "orgs.json").read_text(encoding="utf-8"))
    with transaction.atomic():
        created = []
        units = {unit.slug: unit for unit in ResidentUnitPage.objects.all()}
        city = _ensure_page(Page.get_first_root_node(), data["tree"], created, units)
        for page, node, complete in created:
            if not complete:
                # Its committee names units created after it (below it, or itself).
                page.save(update_fields=_set_relations(page, node, units), clean=False)
        record_live_revisions([page for page, _node, _complete in created])
        _make_city_the_site_root(city)
        # What publishing would have told search and the page cache.
        changes.pages_changed(page for page, _node, _complete in created)
    total = OrganisationPage.objects.count()
    stdout.write(f"  组织页面：新建 {len(created)} 个，现有 {total} 个")
    _ensure_users(stdout)


def _ensure_page(parent, node, created, units):
    """Create ``node``'s page under ``parent`` when missing, already published, with its
    committee and circle when every unit they name exists: one save instead of the
    add, save-revision and publish saves it took before (the demo's largest cost)."""
    page = parent.get_children().filter(slug=node["slug"]).first()
    if page is None:
        model = PAGE_TYPES[node["type"]]
        page = model(title=node["title"], slug=node["slug"], **_published_now())
        for field in FIELDS:
            if field in node:
                setattr(page, field, node[field])
        complete = _units_named(node) <= units.keys()
        if complete:
            _set_relations(page, node, units)
        # What Page.get_default_locale would look up (a query a page).
        page.locale_id = parent.locale_id
        # Page.save asks whether the page roots a site (a query a page); a new page has a
        # fresh translation key, which no site can name yet. _is_site_root is the attribute
        # Wagtail's PageQuerySet.annotate_site_root_state sets for this.
        page._is_site_root = False
        parent.add_child(instance=page)
        del page._is_site_root
        if isinstance(page, ResidentUnitPage):
            units[page.slug] = page
        created.append((page, node, complete))
    for child in node.get("children", []):
        _ensure_page(page, child, created, units)
    return page


def _published_now():
    """Field values that make a page created in code published (no publish step)."""
    now = timezone.now()
    return {"live": True, "has_unpublished_changes": False,
            "first_published_at": now, "last_published_at": now}  # fmt: skip


def _units_named(node):
    """Slugs of the resident units ``node``'s committee and circle refer to."""
    named = {entry[2] for entry in node.get("committee", []) if len(entry) > 2}
    if "core_unit" in node:
        named |= {node["core_unit"], *node.get("member_units", [])}
    return named


def _set_relations(page, node, units):
    """Set the committee (and a circle's units) on the unsaved ``page``; returns the
    names of what was set, for a ``save(update_fields=...)``."""
    start, end = current_term()
    page.committee_members = [
        CommitteeMember(
            role=entry[0],
            person_name=entry[1],
            source_unit=units[entry[2]] if len(entry) > 2 else None,
            term_start=start,
            term_end=end,
            sort_order=index,
        )
        for index, entry in enumerate(node.get("committee", []))
    ]
    if "core_unit" not in node:
        return ["committee_members"]
    page.core_unit = units[node["core_unit"]]
    page.member_units = [units[slug] for slug in node.get("member_units", [])]
    return ["committee_members", "core_unit", "member_units"]


def _make_city_the_site_root(city):
    """Serve the city at / and drop Wagtail's placeholder welcome page."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=city, is_default_site=True,
                            site_name=settings.WAGTAIL_SITE_NAME)  # fmt: skip
        return
    placeholder = site.root_page
    if placeholder.pk != city.pk:
        site.root_page = city
        site.site_name = site.site_name or settings.WAGTAIL_SITE_NAME
        site.save()
        if placeholder.specific_class is Page and placeholder.depth == 2:
            placeholder.delete()


def _demo_accounts():
    return json.loads((FIXTURES / "users.json").read_text(encoding="utf-8"))


#: What each demo account is for, as the demos that create it say (listed at the end).
DEMO_ROLES = {}


def demo_user(username, last_name, first_name, superuser=False, role=""):
    """A demo account (get or create) in the staff group, with the demo password of
    users.json. Other plugins' demos call it for the accounts they add, with ``role``
    saying what the account shows (listed when the demo is loaded)."""
    if role:
        DEMO_ROLES[username] = role
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(_demo_accounts()["password"])
        user.save()
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


DEMO_EMAIL_DOMAIN = "demo.gongjian.invalid"


def _ensure_users(stdout):
    for entry in _demo_accounts()["users"]:
        demo_user(entry["username"], entry["last_name"], entry["first_name"],
                  superuser=entry.get("superuser", False))  # fmt: skip


def after_all(stdout):
    """Once every plugin's demo has run: list every demo account, including those the
    other plugins' demos added through ``demo_user``, with what each one is."""
    data = _demo_accounts()
    roles = {**DEMO_ROLES, **{entry["username"]: entry["role"] for entry in data["users"]}}
    accounts = (
        get_user_model().objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN)
        .prefetch_related("groups").order_by("-is_superuser", "username")
    )  # fmt: skip
    stdout.write(f"  演示账号（仅供演示，密码均为 {data['password']}）：")
    for user in accounts:
        groups = "、".join(g.name for g in user.groups.all() if g.name != STAFF_GROUP)
        what = roles.get(user.username) or groups or "—"
        stdout.write(f"    {user.username:<18} {user.get_full_name():<6} {what}")
