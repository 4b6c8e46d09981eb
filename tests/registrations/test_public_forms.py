"""The public forms: validation in Chinese, kept input, dedup, spam defences, privacy."""

import pytest
from django.test import override_settings

from plugins.registrations.models import MemberCheckIn, Status, UnitCheckIn, UnitSurvey

from .conftest import CHECKIN_URL, MEMBER_URL, SURVEY_URL, valid_code

pytestmark = pytest.mark.django_db


def test_the_community_page_links_the_three_forms(client, demo):
    from plugins.orgs.models import CommunityPage, ResidentUnitPage

    community = CommunityPage.objects.get(slug="xingfuli")
    html = client.get(community.url).content.decode()
    for key in ("survey", "checkin", "member"):
        assert f"/baodao/xingfuli/{key}/" in html
    unit = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    assert "/baodao/" not in client.get(unit.url).content.decode()
    assert "驻区单位党组织报到登记表" in html


def test_index_lists_forms_and_approved_units(client, demo, django_assert_max_num_queries):
    # Counted warm, as a visitor meets it: the first request fills the cache (site root
    # paths) that loading the demo inside the test used to fill by the way.
    client.get("/baodao/xingfuli/")
    with django_assert_max_num_queries(6):
        response = client.get("/baodao/xingfuli/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "江安市第一人民医院" in html  # its check-in is approved in the demo
    assert "在职党员报到（共 1 名）" in html  # one approved, one pending


def test_unknown_community_and_table_are_404(client, demo):
    assert client.get("/baodao/no-such-place/").status_code == 404
    assert client.get("/baodao/xingfuli/no-such-form/").status_code == 404


def test_survey_is_saved_pending_and_matched(client, demo, survey_data):
    response = client.post(SURVEY_URL, survey_data, follow=True)
    assert response.redirect_chain[-1][0] == "/baodao/xingfuli/done/"
    assert "已提交，社区审核后生效" in response.content.decode()
    record = UnitSurvey.objects.get(credit_code=survey_data["credit_code"])
    assert record.status == Status.PENDING
    assert record.community.slug == "xingfuli"
    assert record.contact_phone == "19900003001"  # stored without separators
    assert record.unit is None  # no unit page of that name


def test_survey_matches_a_unit_page_by_name(client, demo, survey_data):
    survey_data["unit_name"] = "江安市第一人民医院"
    survey_data["credit_code"] = valid_code("12360100MB7654321")
    client.post(SURVEY_URL, survey_data)
    record = UnitSurvey.objects.get(credit_code=survey_data["credit_code"])
    assert record.unit.slug == "jiangan-no1-hospital"


def test_same_credit_code_files_a_change_request_instead_of_duplicating(client, demo,
                                                                        survey_data):  # fmt: skip
    client.post(SURVEY_URL, survey_data)
    record = UnitSurvey.objects.get(credit_code=survey_data["credit_code"])
    survey_data["party_member_count"] = "15"
    # The same code typed in lower case with spaces is the same unit.
    code = survey_data["credit_code"]
    survey_data["credit_code"] = f"{code[:9].lower()} {code[9:].lower()}"
    response = client.post(SURVEY_URL, survey_data, follow=True)
    html = response.content.decode()
    assert "已在本社区登记" in html and "未重复登记" in html and "变更申请" in html
    assert UnitSurvey.objects.filter(credit_code=code).count() == 1
    record.refresh_from_db()
    # Even a record still waiting for moderation is not rewritten by the next visitor.
    assert record.party_member_count == 12 and record.submission_count == 1
    change = record.change_requests.get()
    assert change.data["party_member_count"] == 15 and change.data["credit_code"] == code


def test_checkin_dedup_and_link_to_the_survey_unit(client, demo, checkin_data):
    from plugins.orgs.models import ResidentUnitPage

    unit = ResidentUnitPage.objects.get(slug="jiangbei-experimental-primary")
    UnitSurvey.objects.create(community_id=unit.get_parent().pk, unit=unit,
                              unit_name="别名", credit_code=checkin_data["credit_code"],
                              kind="school", address="x", party_organisation="x",
                              secretary_name="x", party_member_count=1, contact_name="x",
                              contact_phone="19900000000")  # fmt: skip
    client.post(CHECKIN_URL, checkin_data)
    client.post(CHECKIN_URL, checkin_data)
    records = UnitCheckIn.objects.filter(credit_code=checkin_data["credit_code"])
    assert records.count() == 1
    # The moderator's link on the survey carries over through the credit code.
    assert records.get().unit == unit
    assert records.get().liaison_phone == "079187654321"


def test_same_unit_may_register_in_another_community(client, demo, survey_data):
    client.post(SURVEY_URL, survey_data)
    client.post("/baodao/guangming/survey/", survey_data)
    assert UnitSurvey.objects.filter(credit_code=survey_data["credit_code"]).count() == 2


def test_member_checkin(client, demo, member_data):
    response = client.post(MEMBER_URL, member_data, follow=True)
    assert "郑晓同志，您的报到登记已提交" in response.content.decode()
    record = MemberCheckIn.objects.get(name="郑晓")
    assert record.community.slug == "xingfuli"
    assert record.mobile == "19900004001"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("credit_code", "91360100MA7QXY8120", "校验位不正确"),
        ("credit_code", "9136", "应为18位"),
        ("contact_phone", "12345", "不是有效的联系电话"),
        ("party_member_count", "很多", "请填写一个整数"),
        ("unit_name", "", "请填写单位名称。"),
        ("kind", "", "请选择单位类别。"),
    ],
)
def test_survey_rejects_bad_input_and_keeps_the_rest(client, demo, survey_data, field, value,
                                                      message):  # fmt: skip
    if field == "credit_code" and value.endswith("0") and survey_data["credit_code"][-1] == "0":
        value = value[:-1] + "1"
    survey_data[field] = value
    response = client.post(SURVEY_URL, survey_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "其他已填写的内容已为您保留" in html
    form = response.context["form"]
    for name, typed in survey_data.items():
        if name != field and typed:
            assert form[name].value() == typed, name
            if name not in ("kind",):
                assert typed in html or name == "resources" or typed.replace(" ", "") in html
    assert not UnitSurvey.objects.filter(unit_name=survey_data["unit_name"]).exists()


def test_member_form_requires_a_mobile_not_a_landline(client, demo, member_data):
    member_data["mobile"] = "0791-8765 4321"
    member_data["service_post"] = ""
    response = client.post(MEMBER_URL, member_data)
    html = response.content.decode()
    assert "不是有效的手机号码" in html
    assert "请选择认领服务岗位。" in html
    assert member_data["home_address"] in html  # the person's own typing comes back
    assert not MemberCheckIn.objects.filter(name="郑晓").exists()


def test_honeypot_pretends_success_and_saves_nothing(client, demo, member_data):
    member_data["website"] = "http://spam.example"
    response = client.post(MEMBER_URL, member_data)
    assert response.status_code == 302
    assert not MemberCheckIn.objects.filter(name="郑晓").exists()


@override_settings(REGISTRATIONS_RATE_LIMIT=(2, 600))
def test_rate_limit_per_address(client, demo, member_data):
    for name in ("甲", "乙"):
        member_data["name"] = name
        assert client.post(MEMBER_URL, member_data, REMOTE_ADDR="10.0.0.1").status_code == 302
    member_data["name"] = "丙"
    response = client.post(MEMBER_URL, member_data, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert response.context["form"]["workplace"].value() == "江安市财政局"
    # Another address is not affected.
    assert client.post(MEMBER_URL, member_data, REMOTE_ADDR="10.0.0.2").status_code == 302
    assert MemberCheckIn.objects.filter(name__in=["甲", "乙", "丙"]).count() == 3


def test_phones_and_home_addresses_never_appear_on_public_pages(client, demo):
    from plugins.orgs.models import CommunityPage

    secrets = set()
    for record in UnitSurvey.objects.all():
        secrets |= {record.contact_phone, record.address}
    for record in UnitCheckIn.objects.all():
        secrets.add(record.liaison_phone)
    for record in MemberCheckIn.objects.all():
        secrets |= {record.mobile, record.home_address}
    assert len(secrets) >= 5
    MemberCheckIn.objects.update(status=Status.APPROVED)
    UnitSurvey.objects.update(status=Status.APPROVED)
    urls = ["/", CommunityPage.objects.get(slug="xingfuli").url, "/baodao/xingfuli/",
            SURVEY_URL, CHECKIN_URL, MEMBER_URL, "/baodao/xingfuli/done/",
            "/search/?q=幸福里", "/api/search/?q=幸福里"]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for secret in secrets:
            assert secret not in html, (url, secret)
            assert secret[-8:] not in html, (url, secret)
