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
# Plain fields a node may set; relations (committee, circle units) come in a second pass.
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
        city = _ensure_page(Page.get_first_root_node(), data["tree"], created)
        units = {unit.slug: unit for unit in ResidentUnitPage.objects.all()}
        for page, node in created:
            _fill_relations(page, node, units)
        _make_city_the_site_root(city)
    total = OrganisationPage.objects.count()
    stdout.write(f"  组织页面：新建 {len(created)} 个，现有 {total} 个")
    _ensure_users(stdout)


def _ensure_page(parent, node, created):
    page = parent.get_children().filter(slug=node["slug"]).first()
    if page is None:
        model = PAGE_TYPES[node["type"]]
        page = model(title=node["title"], slug=node["slug"])
        for field in FIELDS:
            if field in node:
                setattr(page, field, node[field])
        parent.add_child(instance=page)
        created.append((page, node))
    for child in node.get("children", []):
        _ensure_page(page, child, created)
    return page


def _fill_relations(page, node, units):
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
    if "core_unit" in node:
        page.core_unit = units[node["core_unit"]]
        page.member_units = [units[slug] for slug in node.get("member_units", [])]
    page.save_revision(log_action=False).publish(log_action=False)


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


def demo_user(username, last_name, first_name, superuser=False):
    """A demo account (get or create) in the staff group, with the demo password of
    users.json. Other plugins' demos call it for the accounts they add."""
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@demo.gongjian.invalid",
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(_demo_accounts()["password"])
        user.save()
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


def _ensure_users(stdout):
    data = _demo_accounts()
    stdout.write(f"  演示账号（仅供演示，密码均为 {data['password']}）：")
    for entry in data["users"]:
        demo_user(entry["username"], entry["last_name"], entry["first_name"],
                  superuser=entry.get("superuser", False))  # fmt: skip
        stdout.write(f"    {entry['username']:<12} {entry['role']}")
