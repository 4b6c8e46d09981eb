"""Fixtures for the co-building tests: the demo city with its three lists loaded."""

import pytest
from django.core.cache import cache

from tests.baselines import baseline_fixture


@pytest.fixture(autouse=True)
def fresh_cache():
    """The needs form's rate limit lives in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def build_lists(out):
    """The demo tree, accounts, appointments and three lists, without the other plugins'
    content or the search index (several times faster than the full ``demo``)."""
    from plugins.access import demo as access_demo
    from plugins.access import setup as access_setup
    from plugins.cobuilding import demo as cobuilding_demo
    from plugins.orgs import demo as orgs_demo
    from plugins.orgs import setup as orgs_setup

    orgs_setup.setup()
    access_setup.setup()
    orgs_demo.load_demo(out)
    access_demo.load_demo(out)
    cobuilding_demo.load_demo(out)


lists = baseline_fixture("lists", build_lists)


@pytest.fixture
def org(lists):
    from plugins.orgs.models import CommunityPage, ResidentUnitPage

    return {
        "community_a": CommunityPage.objects.get(slug="xingfuli"),
        "community_b": CommunityPage.objects.get(slug="guangming"),
        "ua": ResidentUnitPage.objects.get(slug="jiangan-no1-hospital"),
        "ub": ResidentUnitPage.objects.get(slug="jiangbei-experimental-primary"),
        "school": ResidentUnitPage.objects.get(slug="jiangan-no12-middle-school"),
    }
