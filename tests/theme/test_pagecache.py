import pytest
from wagtail.models import Page, PageViewRestriction

from plugins.activities.models import ActivityPage
from plugins.orgs.models import CityPage, CommunityPage
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def community(demo):
    return CommunityPage.objects.get(slug="xingfuli")


def state(response):
    return response.get("X-Page-Cache")


def test_anonymous_pages_are_cached_and_served_without_queries(
    client, community, django_assert_max_num_queries
):
    assert state(client.get(community.url)) == "miss"
    with django_assert_max_num_queries(1):  # at most the session lookup, never the page
        response = client.get(community.url)
    assert state(response) == "hit"
    assert community.title in response.content.decode()
    # other query strings are other entries
    assert state(client.get(community.url, {"activities_page": 2})) == "miss"
    # the CSP header is still added to a cached response
    assert "Content-Security-Policy" in response


def test_logged_in_users_posts_and_the_admin_are_never_cached(client, community):
    client.get(community.url)
    login(client, "secretary_a")
    response = client.get(community.url)
    assert state(response) is None
    assert state(client.get("/admin/")) is None
    client.logout()
    assert client.post(community.url).get("X-Page-Cache") is None


def test_search_is_not_cached_and_still_works(client, demo):
    response = client.get("/search/", {"q": "双报到"})
    assert state(response) is None
    assert "<mark>" in response.content.decode()


def test_publishing_clears_the_page_its_ancestors_and_the_home_page(client, community):
    city = CityPage.objects.get()
    street = community.get_parent()
    for url in (city.url, street.url, community.url):
        client.get(url)
        assert state(client.get(url)) == "hit"
    activity = ActivityPage.objects.live().descendant_of(community).first()
    activity.title = "缓存更新后的活动标题"
    activity.save_revision().publish()
    for url in (community.url, street.url):
        response = client.get(url)
        assert state(response) == "miss", url
        assert "缓存更新后的活动标题" in response.content.decode()
    assert state(client.get(city.url)) == "miss"
    # Every page that lists activities is refreshed (it read their table: the sibling
    # community's page too); a page that shows none of it is left alone: another
    # branch's activity.
    other = CommunityPage.objects.get(slug="guangming")
    elsewhere = ActivityPage.objects.live().descendant_of(other).first()
    for url in (other.url, elsewhere.url):
        client.get(url)
        assert state(client.get(url)) == "hit", url
    activity.save_revision().publish()
    assert state(client.get(other.url)) == "miss"
    assert state(client.get(elsewhere.url)) == "hit"


def test_unpublish_and_move_clear_the_cache(client, community):
    activity = ActivityPage.objects.live().descendant_of(community).first()
    client.get(activity.url)
    client.get(community.url)
    assert state(client.get(activity.url)) == "hit"
    activity.unpublish()
    assert client.get(activity.url).status_code == 404
    assert activity.title not in client.get(community.url).content.decode()

    activity.save_revision().publish()
    activity.refresh_from_db()
    old_url = activity.url
    client.get(old_url)
    assert state(client.get(old_url)) == "hit"
    target = CommunityPage.objects.get(slug="guangming")
    client.get(target.url)
    activity.move(target, pos="last-child")
    assert client.get(old_url).status_code in (301, 404)  # Wagtail may leave a redirect
    assert activity.title in client.get(target.url).content.decode()
    moved = Page.objects.get(pk=activity.pk)
    assert client.get(moved.url).status_code == 200


def test_restricted_pages_are_never_cached(client, community):
    PageViewRestriction.objects.create(
        page=community, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    response = client.get(community.url)
    assert state(response) is None
    assert state(client.get(community.url)) is None


def test_cache_can_be_turned_off(client, community, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(community.url)
    assert state(client.get(community.url)) is None


def test_records_shown_on_pages_clear_those_pages(client, community):
    """An honour on a unit's page and an open need in the home page's 三个清单 section
    are not pages: saving or deleting them clears the pages that show them."""
    from plugins.cobuilding.models import Need
    from plugins.evaluation.models import Award

    home = community.get_site().root_page
    other = CommunityPage.objects.get(slug="guangming")
    for url in (community.url, home.url, other.url):
        client.get(url)
        assert state(client.get(url)) == "hit", url

    award = Award.objects.create(
        kind="advanced_organisation", year=2026, title="缓存测试先进基层党组织",
        organisation=community,
    )  # fmt: skip
    response = client.get(community.url)
    assert state(response) == "miss"
    assert "缓存测试先进基层党组织" in response.content.decode()
    assert state(client.get(other.url)) == "hit"  # a sibling branch is left alone

    need = Need.objects.create(community=community, title="缓存测试楼道照明", category="social",
                               raised_by="居民")  # fmt: skip
    response = client.get(home.url)
    assert state(response) == "miss"
    assert "缓存测试楼道照明" in response.content.decode()

    award.delete()
    response = client.get(community.url)
    assert state(response) == "miss"
    assert "缓存测试先进基层党组织" not in response.content.decode()
    need.delete()
    assert "缓存测试楼道照明" not in client.get(home.url).content.decode()


def test_a_page_deleted_with_its_records_is_not_held_up_by_them(community):
    from plugins.cobuilding.models import Need

    fresh = CommunityPage(title="新建社区", slug="xinjian")
    community.get_parent().add_child(instance=fresh)
    Need.objects.create(community=fresh, title="随社区删除的需求", category="social",
                        raised_by="居民")  # fmt: skip
    fresh.delete()
    assert not Need.objects.filter(title="随社区删除的需求").exists()
