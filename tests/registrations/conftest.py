import pytest
from django.core.cache import cache

from plugins.registrations.validators import credit_code_check_char

SURVEY_URL = "/baodao/xingfuli/survey/"
CHECKIN_URL = "/baodao/xingfuli/checkin/"
MEMBER_URL = "/baodao/xingfuli/member/"


def valid_code(first17="91360100MA7QXY812"):
    return first17 + credit_code_check_char(first17)


@pytest.fixture(autouse=True)
def clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def survey_data():
    return {
        "unit_name": "江安市新华书店有限公司",
        "credit_code": valid_code(),
        "kind": "state_firm",
        "address": "江安市幸福里路 20 号",
        "party_organisation": "中共江安市新华书店支部委员会",
        "secretary_name": "钱进",
        "party_member_count": "12",
        "contact_name": "孙丽",
        "contact_phone": "199 0000 3001",
        "resources": "阅览室、图书捐赠",
    }


@pytest.fixture
def checkin_data():
    return {
        "unit_name": "江安市新华书店有限公司",
        "credit_code": valid_code(),
        "party_organisation": "中共江安市新华书店支部委员会",
        "org_type": "branch",
        "secretary_name": "钱进",
        "party_member_count": "12",
        "liaison_name": "孙丽",
        "liaison_phone": "0791-8765 4321",
        "intentions": "认领“书香社区”项目",
    }


@pytest.fixture
def member_data():
    return {
        "name": "郑晓",
        "party_organisation": "中共江安市财政局机关支部委员会",
        "workplace": "江安市财政局",
        "service_post": "supervision",
        "mobile": "199 0000 4001",
        "home_address": "幸福里小区 9 栋 1 单元 101",
    }


@pytest.fixture
def demo_registrations(demo):
    """The demo, with the registrations demo loaded a second time (it must not duplicate)."""
    import io

    from plugins.registrations import demo as registrations_demo
    from plugins.registrations.models import MemberCheckIn, UnitCheckIn, UnitSurvey

    counts = [model.objects.count() for model in (UnitSurvey, UnitCheckIn, MemberCheckIn)]
    registrations_demo.load_demo(io.StringIO())
    assert [m.objects.count() for m in (UnitSurvey, UnitCheckIn, MemberCheckIn)] == counts
    assert counts == [2, 1, 2]
    return demo
