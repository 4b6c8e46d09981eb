"""A lighter demo for the meeting tests: the city, the accounts and appointments, and the
meetings; not the other plugins' content or the search index (the full `demo` fixture
costs half a minute a test on the shared machine)."""

import pytest

from tests.baselines import baseline_fixture


def build_city(out):
    from plugins.access import demo as access_demo
    from plugins.access import setup as access_setup
    from plugins.meetings import demo as meetings_demo
    from plugins.orgs import demo as orgs_demo
    from plugins.orgs import setup as orgs_setup
    from plugins.recyclebin import setup as recyclebin_setup

    orgs_setup.setup()
    recyclebin_setup.setup()
    access_setup.setup()
    orgs_demo.load_demo(out)
    access_demo.load_demo(out)
    meetings_demo.load_demo(out)


city = baseline_fixture("city", build_city)


@pytest.fixture
def admin_client_city(client, city):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    return client
