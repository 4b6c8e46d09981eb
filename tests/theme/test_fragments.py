"""Rendered parts of public pages kept between requests (gongjian_site.fragments), with
the page cache off: fewer queries on the next request, and every change of what they
show seen on the very next request, through the same change mechanism as cached pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from gongjian_site.models import FilingSettings
from plugins.cobuilding.models import Need, NeedStatus
from plugins.orgs.models import CityPage, CommunityPage, ResidentUnitPage
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 600


@pytest.fixture
def community(demo):
    return CommunityPage.objects.get(slug="xingfuli")


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_kept_content_saves_its_queries_and_shows_the_same(client, community):
    first, html = queries(client, community.url)
    second, again = queries(client, community.url)
    print(f"\ncommunity page: {first} queries rendered, {second} with its content kept")
    assert second <= first - 10
    assert again == html
    assert "驻区单位" in again


def test_a_new_child_page_shows_on_the_next_request(client, community):
    client.get(community.url)
    unit = ResidentUnitPage(title="片段测试新单位", slug="fragment-unit", kind="private_firm")
    community.add_child(instance=unit)
    unit.save_revision().publish()
    assert "片段测试新单位" in client.get(community.url).content.decode()
    # and on the home page, whose kept sections list the community's content too
    home = CityPage.objects.get()
    client.get(home.url)
    unit.title = "片段测试改名单位"
    unit.save_revision().publish()
    assert "片段测试改名单位" in client.get(community.url).content.decode()


def test_a_changed_record_shows_on_the_board_at_once(client, community):
    need = Need.objects.filter(community=community, status=NeedStatus.OPEN).first()
    assert need is not None, "the demo has an open need on this board"
    url = f"/gongshi/{community.slug}/?year={need.year}"
    assert need.title in client.get(url).content.decode()
    kept, _ = queries(client, url)
    need.title = "片段测试需求（已改）"
    need.save()
    changed, html = queries(client, url)
    assert "片段测试需求（已改）" in html
    assert changed > kept  # rendered again, not served from the kept copy


def test_the_filing_footer_is_kept_for_the_site_and_cleared_on_save(client, community):
    site = Site.objects.get(is_default_site=True)
    filing = FilingSettings.for_site(site)
    filing.icp_number = "京ICP备00000001号-1"
    filing.save()
    assert "京ICP备00000001号-1" in client.get(community.url).content.decode()
    # the search page is never kept, but its footer is (one footer for the whole site)
    with CaptureQueriesContext(connection) as captured:
        client.get("/search/", {"q": "党建"})
    assert not [q for q in captured if "gongjian_filingsettings" in q["sql"]]
    filing.icp_number = "京ICP备00000002号-1"
    filing.save()
    html = client.get("/search/", {"q": "党建"}).content.decode()
    assert "京ICP备00000002号-1" in html and "京ICP备00000001号-1" not in html


def test_restricted_pages_and_logged_in_readers_are_never_served_kept_content(client, community):
    client.get(community.url)
    # a logged-in reader renders the page afresh (what they see may be their own)
    login(client, "secretary_a")
    rendered, _ = queries(client, community.url)
    again, _ = queries(client, community.url)
    assert again == rendered
    client.logout()
    # under a view restriction nothing is kept: each reader who passes renders it
    PageViewRestriction.objects.create(page=community, restriction_type="password", password="x")
    assert client.get(community.url).status_code == 200  # the password form, not the page
    assert "驻区单位" not in client.get(community.url).content.decode()
