"""The demo city: idempotent loading, public pages, API, sitemap, setup_site."""

import io
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import resolve
from wagtail.models import Collection, Page, Revision, Site

from plugins.orgs.models import (
    CityPage,
    CommitteeMember,
    CommunityPage,
    DistrictPage,
    OrganisationPage,
    ResidentUnitPage,
    StreetPage,
    UnitKind,
)


def counts():
    return {
        "pages": Page.objects.count(),
        "orgs": OrganisationPage.objects.count(),
        "members": CommitteeMember.objects.count(),
        "revisions": Revision.objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "collections": Collection.objects.count(),
        "sites": Site.objects.count(),
    }


@pytest.mark.django_db
def test_load_demo_twice_gives_the_same_counts(demo):
    first = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first


@pytest.mark.django_db
def test_the_demo_city_has_what_the_issue_asks_for(demo):
    assert CityPage.objects.count() == 1
    assert DistrictPage.objects.count() == 2
    assert StreetPage.objects.count() == 3
    assert CommunityPage.objects.count() >= 6
    units = ResidentUnitPage.objects.all()
    assert units.count() >= 8
    assert len({unit.kind for unit in units}) == len(UnitKind.choices)
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is CityPage


@pytest.mark.django_db
def test_demo_accounts_can_log_in_and_are_printed(demo, client):
    # Every account the demos create is listed, also those other plugins' demos add.
    accounts = get_user_model().objects.filter(email__endswith="@demo.gongjian.invalid")
    assert accounts.count() >= 10
    for user in accounts:
        assert f"    {user.username} " in demo and user.get_full_name() in demo, user.username
    for username in ("admin", "publicity", "secretary_a", "member_a", "member_b"):
        assert username in demo
        assert client.login(username=username, password="gongjian-demo"), username
        assert client.get("/admin/").status_code == 200
        client.logout()
    assert "仅供演示" in demo
    assert get_user_model().objects.get(username="admin").is_superuser
    assert not get_user_model().objects.get(username="member_a").is_superuser


@pytest.mark.django_db
def test_every_demo_page_starts_with_its_first_revision(demo, admin_client):
    live = Page.objects.filter(live=True, depth__gt=1)
    assert live.count() >= 40
    assert not live.filter(live_revision__isnull=True).exists()
    page = CommunityPage.objects.get(slug="xingfuli")
    assert page.live_revision.as_object().title == page.title
    # The editor's history lists it, so the original content can be compared and restored.
    response = admin_client.get(f"/admin/pages/{page.pk}/history/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_every_demo_page_answers_with_its_chinese_name(demo, client, django_assert_max_num_queries):
    pages = list(OrganisationPage.objects.live().specific())
    assert len(pages) >= 30
    for page in pages:
        # Wagtail's routing costs two queries per tree level (the child, then its
        # specific row); beyond that the count must not grow with the committee
        # or the number of children (one query per child page type, at most 3),
        # plus a fixed few for the recent activities, featured cases and awards.
        # (+4 since the meetings, 公示 board and registration sections joined;
        # +6 for the 栏目 links, two for activities and cases, one for compilations,
        # and the filing footer.)
        with django_assert_max_num_queries(2 * page.depth + 25):
            response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert f"<h1>{page.title}</h1>" in html
        assert 'lang="zh-Hans"' in html


@pytest.mark.django_db
def test_organisation_page_shows_committee_children_contact_and_breadcrumbs(demo, client):
    page = CommunityPage.objects.get(slug="xingfuli")
    html = client.get(page.url).content.decode()
    for text in (
        "兼职委员",
        "王建国",
        "（江安市第一人民医院）",
        "下级组织",
        "幸福里第一网格党支部",
        "驻区单位",
        "江安市第一人民医院",
        "联系方式",
        "0791-8812 5501",
        "新华街道党工委",  # breadcrumb
        "中共江北区委",
    ):
        assert text in html, text
    assert html.index("书记") < html.index("兼职委员") < html.index("联络员")


@pytest.mark.django_db
def test_api_lists_the_demo_pages_with_their_types(demo, client):
    response = client.get("/api/v2/pages/", {"limit": 100})
    assert response.status_code == 200
    items = response.json()["items"]
    types = {item["title"]: item["meta"]["type"] for item in items}
    assert len(items) == Page.objects.live().public().filter(depth__gt=1).count()
    assert types["中共江安市委"] == "orgs.CityPage"
    assert types["幸福里社区大党委"] == "orgs.CommunityPage"
    assert types["江安市第一人民医院"] == "orgs.ResidentUnitPage"
    assert types["幸福里3号楼党群微家"] == "orgs.PartyGroupPage"

    unit = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    detail = client.get(f"/api/v2/pages/{unit.pk}/").json()
    assert detail["kind"] == "hospital"
    assert detail["phone"] == "0791-8812 0120"


@pytest.mark.django_db
def test_sitemap_lists_every_live_public_page(demo, client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = ElementTree.fromstring(response.content).findall("sm:url/sm:loc", namespace)
    pages = {page.full_url for page in Page.objects.live().public().filter(depth__gt=1)}
    listed = {location.text for location in locations}
    assert pages <= listed
    # The rest are the public views that are not pages (boards, forms, feeds, statistics).
    assert all(resolve(urlsplit(url).path).url_name != "wagtail_serve" for url in listed - pages)
    assert len(locations) > OrganisationPage.objects.live().count()  # activities, cases too


@pytest.mark.django_db
def test_setup_site_twice_is_harmless(db):
    call_command("setup_site", stdout=io.StringIO())
    first = counts()
    staff = Group.objects.get(name="共建用户")
    assert [p.codename for p in staff.permissions.all()] == ["access_admin"]
    out = io.StringIO()
    call_command("setup_site", stdout=out)
    assert counts() == first
    assert "setup: orgs" in out.getvalue()


@pytest.mark.django_db
def test_load_demo_if_empty_loads_once(db):
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert OrganisationPage.objects.exists() and "仅供演示" in out.getvalue()
    first = counts()
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "跳过演示数据" in out.getvalue() and counts() == first
