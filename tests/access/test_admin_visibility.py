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
