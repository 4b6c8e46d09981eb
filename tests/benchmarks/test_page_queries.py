"""The community page and the home page cost the same number of SQL queries with 10 and
with 500 child units and activities (no N+1): one fixed bound for both sizes."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plugins.activities.models import ActivityKind, ActivityPage
from plugins.archive.importing import publish_fields
from plugins.orgs.models import CityPage, CommunityPage, ResidentUnitPage

# Wagtail's routing (2 per tree level) + the org page's fixed context + recent activities
# + share card and breadcrumbs; the same bound for both sizes.
# Fixed costs of the sections other plugins add (meetings, awards; the three lists and
# upcoming meetings on the home page); what matters is that they do not grow.
COMMUNITY_BOUND = 30
HOME_BOUND = 23


def add_children(community, start, count):
    kind = ActivityKind.objects.first()
    for n in range(start, start + count):
        community.add_child(
            instance=ResidentUnitPage(
                title=f"计数单位{n:03d}", slug=f"count-unit-{n}", kind="private_firm",
                **publish_fields(),
            )
        )  # fmt: skip
        community.add_child(
            instance=ActivityPage(
                title=f"计数活动{n:03d}", slug=f"count-activity-{n}", kind=kind,
                date=date(2025, 1, 1) + timedelta(days=n), **publish_fields(),
            )
        )  # fmt: skip


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_children(client, demo):
    community = CommunityPage.objects.get(slug="xingfuli")
    home = CityPage.objects.get().url
    add_children(community, 0, 10)
    client.get(community.url)  # warm up per-process caches (site root paths, content types)
    small_community, html = count(client, community.url)
    assert "计数单位009" in html
    small_home, _ = count(client, home)

    add_children(community, 10, 490)
    large_community, html = count(client, community.url)
    assert "计数单位499" in html
    large_home, _ = count(client, home)

    print(f"\ncommunity page: {small_community} queries at 10, {large_community} at 500")
    print(f"home page: {small_home} queries at 10, {large_home} at 500")
    assert small_community == large_community <= COMMUNITY_BOUND
    assert small_home == large_home <= HOME_BOUND
