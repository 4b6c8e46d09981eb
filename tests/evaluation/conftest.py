import pytest
from django.contrib.auth import get_user_model

from plugins.orgs.models import CommunityPage, ResidentUnitPage, StreetPage


@pytest.fixture
def pages(demo):
    """The demo pages the evaluation tests use, by short name."""
    unit = ResidentUnitPage.objects.get
    return {
        "xinhua": StreetPage.objects.get(slug="xinhua"),
        "linjiang": StreetPage.objects.get(slug="linjiang"),
        "A": CommunityPage.objects.get(slug="xingfuli"),
        "B": CommunityPage.objects.get(slug="guangming"),
        "UA": unit(slug="jiangan-no1-hospital"),
        "UB": unit(slug="jiangbei-experimental-primary"),
        "school": unit(slug="jiangan-no12-middle-school"),
        "market": unit(slug="jiangbei-market-regulation"),
        "huaxin": unit(slug="huaxin-tech"),
    }


@pytest.fixture
def users(demo):
    User = get_user_model()
    return {u.username: u for u in User.objects.all()}
