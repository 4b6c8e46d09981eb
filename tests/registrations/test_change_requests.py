"""Issue 15, item 5: an anonymous submission never changes an existing unit record.

A second submission with a credit code the community already holds becomes a pending
change request; a moderator of the community compares it side by side in the admin
and accepts or rejects it; the request rows keep every version and the record's
Wagtail history says who decided what.
"""

import pytest
from wagtail.models import ModelLogEntry

from plugins.registrations.demo import HOSPITAL_CODE
from plugins.registrations.models import ChangeStatus, Status, UnitCheckIn, UnitSurvey
from tests.conftest import login

from .conftest import CHECKIN_URL, SURVEY_URL

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '=HYPERLINK("http://evil.example/","点击核对")'


def hostile_survey(**changes):
    data = {
        "unit_name": HOSTILE_NAME,
        "credit_code": HOSPITAL_CODE.lower(),
        "kind": "private_firm",
        "address": "江安市某某路 666 号",
        "party_organisation": "中共某某公司支部委员会",
        "secretary_name": "冒名者",
        "party_member_count": "1",
        "contact_name": "冒名者",
        "contact_phone": "199 0000 6666",
        "resources": "",
    }
    data.update(changes)
    return data


def hostile_checkin():
    return {
        "unit_name": "冒名单位",
        "credit_code": HOSPITAL_CODE,
        "party_organisation": "中共冒名支部",
        "org_type": "branch",
        "secretary_name": "冒名者",
        "party_member_count": "1",
        "liaison_name": "冒名者",
        "liaison_phone": "199 0000 6666",
        "intentions": "",
    }


def fields_of(record):
    return {
        field.name: getattr(record, field.attname)
        for field in record._meta.concrete_fields
        if field.name != "id"
    }


@pytest.mark.parametrize(
    "url, model, data",
    [(SURVEY_URL, UnitSurvey, hostile_survey()), (CHECKIN_URL, UnitCheckIn, hostile_checkin())],
)
def test_anonymous_post_with_an_approved_units_code_leaves_it_untouched(client, demo, url,
                                                                         model, data):  # fmt: skip
    record = model.objects.get(credit_code=HOSPITAL_CODE)
    assert record.status == Status.APPROVED
    before = fields_of(record)

    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "变更申请" in html and "采纳前原登记信息保持不变" in html
    # The visitor is not told what the stored record says.
    assert "中共江安市第一人民医院委员会" not in html and "赵立新" not in html
    record.refresh_from_db()
    assert fields_of(record) == before  # name, address, phone, status, counters, times
    change = record.change_requests.get()
    assert change.status == ChangeStatus.PENDING
    assert change.data["unit_name"] == data["unit_name"]
    assert change.data["credit_code"] == HOSPITAL_CODE  # normalised like the record's
    assert model.objects.filter(credit_code=HOSPITAL_CODE).count() == 1
    log = ModelLogEntry.objects.for_instance(record).get(action="registrations.change_submitted")
    assert log.user is None and log.data == {"change": change.pk}


def test_reviewer_compares_side_by_side_and_accepts(client, demo, django_assert_max_num_queries):
    record = UnitSurvey.objects.get(credit_code=HOSPITAL_CODE)
    old_address, old_phone = record.address, record.contact_phone
    client.post(SURVEY_URL, hostile_survey(unit_name="江安市第一人民医院（新院区）"))
    change = record.change_requests.get()

    login(client, "secretary_a")
    menu = client.get("/admin/").content.decode()
    assert "/admin/registrations/changes/" in menu and "变更申请" in menu
    listing = client.get("/admin/registrations/unitsurvey/").content.decode()
    assert "1 条待核对" in listing

    client.get("/admin/registrations/changes/")  # warm the per-process caches
    with django_assert_max_num_queries(30):
        response = client.get("/admin/registrations/changes/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "江安市第一人民医院（新院区）" in html
    assert f"/admin/registrations/changes/survey/{change.pk}/" in html

    url = f"/admin/registrations/changes/survey/{change.pk}/"
    with django_assert_max_num_queries(30):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    # Both versions, row by row, with the differing rows marked.
    assert old_address in html and "江安市某某路 666 号" in html
    assert old_phone in html and "19900006666" in html
    assert "医院" in html and "非公企业" in html  # choices by their Chinese labels
    assert html.count("（不同）") >= 5

    response = client.post(url, {"decision": "accept", "note": "核实为新院区"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.unit_name == "江安市第一人民医院（新院区）"
    assert record.address == "江安市某某路 666 号" and record.contact_phone == "19900006666"
    assert record.status == Status.APPROVED and record.submission_count == 2
    change.refresh_from_db()
    assert change.status == ChangeStatus.ACCEPTED and change.decided_by.username == "secretary_a"
    assert change.note == "核实为新院区"
    # The replaced version is kept, and the decided request still shows it.
    assert change.previous["address"] == old_address
    assert change.previous["contact_phone"] == old_phone
    html = client.get(url).content.decode()
    assert old_address in html and "采纳前的登记" in html and "提交处理结果" not in html
    # A second decision on the same request changes nothing.
    response = client.post(url, {"decision": "reject"}, follow=True)
    assert "该变更申请已处理" in response.content.decode()
    change.refresh_from_db()
    assert change.status == ChangeStatus.ACCEPTED

    history = client.get(f"/admin/registrations/unitsurvey/history/{record.pk}/")
    text = history.content.decode()
    assert history.status_code == 200
    assert f"采纳变更申请（第 {change.pk} 号）并审核通过" in text and "单位地址" in text
    assert "原登记未改动" in text
    decided = client.get("/admin/registrations/changes/?status=decided").content.decode()
    assert "已采纳" in decided


def test_reviewer_rejects_and_the_record_stays(client, demo):
    record = UnitCheckIn.objects.get(credit_code=HOSPITAL_CODE)
    before = fields_of(record)
    client.post(CHECKIN_URL, hostile_checkin())
    change = record.change_requests.get()
    login(client, "secretary_a")
    url = f"/admin/registrations/changes/checkin/{change.pk}/"
    response = client.post(url, {"decision": ""})
    assert response.status_code == 400 and "请选择采纳或不采纳。" in response.content.decode()
    assert client.post(url, {"decision": "reject", "note": "非本单位提交"}).status_code == 302
    record.refresh_from_db()
    assert fields_of(record) == before
    change.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED and change.previous is None
    assert change.data["unit_name"] == "冒名单位"  # the rejected version stays on file
    assert (
        ModelLogEntry.objects.for_instance(record)
        .filter(action="registrations.change_rejected", user__username="secretary_a")
        .exists()
    )


@pytest.mark.parametrize("username", ["member_a", "member_b", "secretary_b"])
def test_only_the_communitys_moderators_see_and_decide(client, demo, username):
    record = UnitSurvey.objects.get(credit_code=HOSPITAL_CODE)
    client.post(SURVEY_URL, hostile_survey())
    change = record.change_requests.get()
    login(client, username)
    url = f"/admin/registrations/changes/survey/{change.pk}/"
    # Refused as the admin refuses (403, or its redirect to the dashboard with a message).
    for response in (client.get(url), client.post(url, {"decision": "accept"})):
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or response["Location"] == "/admin/"
    listing = client.get("/admin/registrations/changes/")
    assert listing.status_code in (200, 302, 403)
    assert url not in listing.content.decode()
    record.refresh_from_db()
    assert record.unit_name == "江安市第一人民医院"
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_anonymous_gets_no_change_views(client, demo):
    client.post(SURVEY_URL, hostile_survey())
    change = UnitSurvey.objects.get(credit_code=HOSPITAL_CODE).change_requests.get()
    detail = f"/admin/registrations/changes/survey/{change.pk}/"
    for url in ("/admin/registrations/changes/", detail):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get("/admin/registrations/changes/member/1/").status_code in (302, 404)


def test_a_first_submission_still_creates_the_record(client, demo, survey_data):
    response = client.post(SURVEY_URL, survey_data)
    assert response.status_code == 302
    record = UnitSurvey.objects.get(credit_code=survey_data["credit_code"])
    assert record.status == Status.PENDING and not record.change_requests.exists()
    assert ModelLogEntry.objects.for_instance(record).filter(action="wagtail.create").exists()
