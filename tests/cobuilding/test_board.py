"""The public 公示 board, the residents' needs form and the home-page section."""

import re

import pytest
from django.test import Client
from wagtail.models import Site

from plugins.cobuilding.models import Need, NeedSource, NeedStatus, Project
from plugins.cobuilding.public import NEED_FORM_LIMIT, home_section_context
from tests.conftest import login

BOARD = "/gongshi/xingfuli/"
FORM = "/gongshi/xingfuli/submit/"
PHONE = re.compile(r"1[3-9]\d{9}")


def test_board_shows_the_three_lists_without_unmoderated_needs(
    client, org, django_assert_max_num_queries
):
    Need.objects.filter(title="小区路灯维修").update(contact_phone="13812345678")
    with django_assert_max_num_queries(20):
        response = client.get(BOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "老年人健康义诊" in body and "青少年暑期托管" in body  # needs
    assert "专家义诊进社区" in body and "学校操场周末开放" in body  # resources
    assert "“健康幸福里”季度义诊" in body and 'value="50"' in body  # project with progress
    assert "每季度组织一次专家义诊进社区" in body  # 亮诺
    assert "增设电动车充电桩" not in body  # pending moderation
    assert not PHONE.search(body), "no phone numbers on the board"
    assert "cobuilding/board.css" in body  # its print stylesheet
    assert 'name="viewport"' in body  # phone-sized (WeChat)
    # Another community's board does not list A's records.
    assert "老年人健康义诊" not in client.get("/gongshi/guangming/").content.decode()
    assert client.get("/gongshi/no-such-community/").status_code == 404


def test_board_filters_by_year_status_category(client, org):
    body = client.get(BOARD, {"category": "medical"}).content.decode()
    assert "老年人健康义诊" in body and "青少年暑期托管" not in body
    body = client.get(BOARD, {"status": "open"}).content.decode()
    assert "青少年暑期托管" in body and "老年人健康义诊" not in body  # in progress
    body = client.get(BOARD, {"status": "active"}).content.decode()
    assert "“健康幸福里”季度义诊" in body and "青少年暑期托管" not in body
    year = Project.objects.first().year
    Need.objects.create(
        community=org["community_a"],
        year=year - 1,
        title="往年需求",
        category="social",
        raised_by="居民",
        status=NeedStatus.OPEN,
    )
    assert "往年需求" not in client.get(BOARD).content.decode()  # latest year by default
    body = client.get(BOARD, {"year": year - 1}).content.decode()
    assert "往年需求" in body and "青少年暑期托管" not in body
    # Nonsense filters are ignored, never a 500.
    assert client.get(BOARD, {"year": "abc", "status": "x", "category": "<b>"}).status_code == 200


def test_community_page_links_to_its_board(client, org):
    response = client.get(org["community_a"].url)
    assert response.status_code == 200
    assert BOARD in response.content.decode()
    assert BOARD not in client.get(org["ua"].url).content.decode()


VALID = {
    "title": "楼道照明改造",
    "category": "administrative",
    "raised_by": "5号楼居民",
    "description": "5号楼楼道声控灯经常失灵，夜间上下楼很不安全。",
    "contact_phone": "",
}


def test_needs_form_stores_a_pending_need_hidden_until_moderated(client, org):
    assert client.get(FORM).status_code == 200
    response = client.post(FORM, {**VALID, "contact_phone": "138 1234 5678"})
    assert response.status_code == 302
    need = Need.objects.get(title="楼道照明改造")
    assert (need.status, need.source) == (NeedStatus.PENDING, NeedSource.RESIDENT)
    assert need.contact_phone == "13812345678" and need.community == org["community_a"]
    assert "已收到您的需求" in client.get(response["Location"]).content.decode()
    assert "楼道照明改造" not in client.get(BOARD).content.decode()

    login(client, "secretary_a")
    client.post(f"/admin/cobuilding/need/moderate/{need.pk}/", {"decision": "approve"})
    client.logout()
    body = client.get(BOARD).content.decode()
    assert "楼道照明改造" in body
    assert "13812345678" not in body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "请填写需求名称。"),
        ("category", "spaceship", "请从列表中选择需求类别。"),
        ("description", "太短", "描述太短，请至少写 10 个字。"),
        ("raised_by", "", "请填写称呼，如“3号楼居民”。"),
        ("contact_phone", "12345", "请输入 11 位手机号码，如 13812345678。"),
    ],
)
def test_needs_form_rejects_bad_input_and_keeps_the_rest(client, org, field, value, message):
    before = Need.objects.count()
    response = client.post(FORM, {**VALID, field: value})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "其余内容已为您保留" in body
    for name, kept in VALID.items():
        if name != field and kept:
            assert kept in body, name
    assert Need.objects.count() == before


def test_needs_form_honeypot_and_rate_limit(client, org):
    response = client.post(FORM, {**VALID, "website": "http://spam.example"})
    assert response.status_code == 302  # looks like success to the bot
    assert not Need.objects.filter(title=VALID["title"]).exists()

    for n in range(NEED_FORM_LIMIT - 1):
        assert client.post(FORM, {**VALID, "title": f"需求{n}"}).status_code == 302
    response = client.post(FORM, {**VALID, "title": "超出"})
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert not Need.objects.filter(title="超出").exists()
    # Another address is not affected.
    other = client.post(FORM, {**VALID, "title": "别处"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_needs_form_requires_csrf(org):
    client = Client(enforce_csrf_checks=True)
    assert client.post(FORM, VALID).status_code == 403
    assert not Need.objects.filter(title=VALID["title"]).exists()


def test_home_section(org):
    home = Site.objects.get(is_default_site=True).root_page
    context = home_section_context(home)
    assert "青少年暑期托管" in [n.title for n in context["needs"]]
    assert "增设电动车充电桩" not in [n.title for n in context["needs"]]
    assert [p.title for p in context["projects"]] == ["“健康幸福里”季度义诊"]
    from plugins.cobuilding.wagtail_hooks import three_lists_section

    section = three_lists_section(None, home)
    try:
        from gongjian_site.home import HomeSection  # noqa: F401
    except ImportError:
        assert section is None  # before the theme branch is merged
    else:
        assert (section.key, section.order) == ("three_lists", 30)
        from django.template.loader import render_to_string

        html = render_to_string(section.template, section.context)
        assert "青少年暑期托管" in html and "/gongshi/xingfuli/" in html
