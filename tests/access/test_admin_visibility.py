"""Issue 15, item 4: members see in the admin only the parts of the tree they may act on,
plus what is live and public (the page chooser)."""

from django.urls import reverse

from tests.conftest import login


def _draft_unit(community, title):
    from plugins.orgs.models import ResidentUnitPage

    unit = ResidentUnitPage(
        title=title, slug="draft-unit-visibility", live=False, kind="government"
    )
    community.add_child(instance=unit)
    unit.save_revision()
    return unit


def test_page_chooser_hides_other_units_drafts(client, demo, django_assert_max_num_queries):
    from plugins.orgs.models import CommunityPage, ResidentUnitPage

    community_a = CommunityPage.objects.get(slug="xingfuli")
    draft = _draft_unit(community_a, "未公开的草稿单位")
    live_units = ResidentUnitPage.objects.child_of(community_a).live()
    url = reverse("wagtailadmin_choose_page_child", args=[community_a.pk])

    login(client, "member_a")
    with django_assert_max_num_queries(60):
        html = client.get(url).json()["html"]
    assert draft.title not in html
    assert all(unit.title in html for unit in live_units)  # live and public: shown

    login(client, "secretary_a")  # may act on the whole community
    assert draft.title in client.get(url).json()["html"]


def test_reviewer_listing_cost_does_not_grow_with_rows(client, demo):
    """The workflow-aware publish decision (``publish_reserved_step``) is memoised per
    request by workflow, page type and parent: a reviewer's explorer listing costs the
    same with 3 or 30 more live child pages and cases."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plugins.cases.models import CasePage
    from plugins.orgs.models import CommunityPage, ResidentUnitPage

    community_a = CommunityPage.objects.get(slug="xingfuli")
    url = reverse("wagtailadmin_explore", args=[community_a.pk])

    def add(n, start):
        for i in range(start, start + n):
            unit = ResidentUnitPage(title=f"计数单位{i}", slug=f"count-unit-{i}", kind="government")
            community_a.add_child(instance=unit)
            case = CasePage(title=f"计数案例{i}", slug=f"count-case-{i}")
            community_a.add_child(instance=case)

    def count():
        login(client, "secretary_a")
        client.get(url)  # warm per-process caches
        login(client, "secretary_a")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(3, 0)
    few = count()
    add(27, 3)
    many = count()
    print(f"explorer queries for secretary_a: {few} with 3 more pairs, {many} with 30")
    assert many == few


# --- Admin page search, bulk-action confirmations, the page-types usage report ---------
#
# Each test puts one draft under another unit (江北实验小学, which member_a may not edit) and
# one under member_a's own unit (江岸一院), both with distinctive titles: member_a must see
# their own draft and nothing of the other.

OTHER_DRAFT = "别家未发布草稿XQ"
OWN_DRAFT = "本单位未发布草稿XQ"


def _two_drafts():
    """(other unit's draft, member_a's own unit's draft); the other one is edited last, so
    the page-types usage report would name it as the last edited case."""
    from plugins.cases.models import CasePage
    from plugins.orgs.models import ResidentUnitPage

    own_unit = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    other_unit = ResidentUnitPage.objects.get(slug="jiangbei-experimental-primary")
    own = own_unit.add_child(instance=CasePage(title=OWN_DRAFT, slug="own-draft-xq", live=False))
    own.save_revision()
    other = other_unit.add_child(
        instance=CasePage(title=OTHER_DRAFT, slug="other-draft-xq", live=False)
    )
    other.save_revision()
    return other, own


def test_admin_page_search_hides_other_units_drafts(client, demo, django_assert_max_num_queries):
    other, own = _two_drafts()
    login(client, "member_a")
    for url in (
        reverse("wagtailadmin_pages:search") + "?q=XQ",
        reverse("wagtailadmin_pages:search_results") + "?q=XQ",
        reverse("wagtailadmin_pages:search") + "?q=XQ&content_type=cases.casepage",
    ):
        with django_assert_max_num_queries(80):
            response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert OTHER_DRAFT not in html, url
        assert OWN_DRAFT in html, url

    login(client, "member_b")  # 江北实验小学's own member finds it
    html = client.get(reverse("wagtailadmin_pages:search") + "?q=XQ").content.decode()
    assert OTHER_DRAFT in html and OWN_DRAFT not in html


BULK_ACTIONS = ("publish", "unpublish", "delete", "move")


def test_bulk_action_confirmation_hides_other_units_drafts(client, demo):
    other, own = _two_drafts()
    login(client, "member_a")
    for action in BULK_ACTIONS:
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
        response = client.get(f"{url}?id={other.pk}&id={own.pk}")
        assert response.status_code == 200, action
        html = response.content.decode()
        assert OTHER_DRAFT not in html, action
        assert OWN_DRAFT in html, action
        # Only the other unit's draft selected: answered as for an unknown id.
        response = client.get(f"{url}?id={other.pk}")
        assert response.status_code == 404, action
        assert OTHER_DRAFT not in response.content.decode(), action


def test_bulk_publish_refuses_other_units_draft(client, demo):
    """The confirmation hides the page and the POST leaves it alone: the action works only
    on pages the user may act on."""
    from wagtail.models import Page

    other, own = _two_drafts()
    login(client, "member_a")
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    client.post(f"{url}?id={other.pk}", {})
    assert Page.objects.get(pk=other.pk).get_parent().slug == "jiangbei-experimental-primary"
    assert not Page.objects.get(pk=other.pk).live


def test_page_types_usage_report_hides_other_units_drafts(client, demo):
    other, own = _two_drafts()
    login(client, "member_a")
    for url in (
        reverse("wagtailadmin_reports:page_types_usage"),
        reverse("wagtailadmin_reports:page_types_usage_results"),
        reverse("wagtailadmin_pages:type_use", args=["cases", "casepage"]),
        reverse("wagtailadmin_pages:type_use_results", args=["cases", "casepage"]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert OTHER_DRAFT not in response.content.decode(), url

    # The report names the last edited case member_a may see: their own draft.
    html = client.get(reverse("wagtailadmin_reports:page_types_usage")).content.decode()
    assert OWN_DRAFT in html
    html = client.get(reverse("wagtailadmin_pages:type_use", args=["cases", "casepage"]))
    assert OWN_DRAFT in html.content.decode()

    login(client, "secretary_b")  # 光明社区's secretary may act on 江北实验小学
    html = client.get(reverse("wagtailadmin_reports:page_types_usage")).content.decode()
    assert OTHER_DRAFT in html
