"""Issue 15, item 7: control characters never get in through the public forms.

They are taken out, and the form comes back once with the cleaned text and a message
naming the field, so the visitor sees what will be saved; sending it again saves it.
"""

import pytest

from plugins.registrations.models import UnitSurvey

from .conftest import SURVEY_URL

pytestmark = pytest.mark.django_db


def test_control_characters_are_stripped_shown_and_then_saved(client, demo, survey_data):
    survey_data["unit_name"] = "\x1b[31m江安市\x01新华书店\u202e有限公司\x7f"
    survey_data["resources"] = "阅览室\x00、图书\x1b]0;x\x07捐赠\n第二行"
    response = client.post(SURVEY_URL, survey_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "“单位名称”中含有不可见的控制字符，已为您删除，请核对后重新提交。" in html
    assert "“可提供的资源”中含有不可见的控制字符" in html
    form = response.context["form"]
    assert form["unit_name"].value() == "江安市新华书店有限公司"
    assert form["resources"].value() == "阅览室、图书捐赠\n第二行"  # line breaks are kept
    assert form["address"].value() == survey_data["address"]  # the rest is kept as typed
    assert not UnitSurvey.objects.filter(credit_code=survey_data["credit_code"]).exists()

    resent = {name: form[name].value() for name in survey_data}
    assert client.post(SURVEY_URL, resent).status_code == 302
    record = UnitSurvey.objects.get(credit_code=survey_data["credit_code"])
    assert record.unit_name == "江安市新华书店有限公司"
    assert record.resources == "阅览室、图书捐赠\n第二行"


def test_free_text_is_limited_with_a_chinese_message(client, demo, survey_data):
    survey_data["resources"] = "资" * 2001
    html = client.post(SURVEY_URL, survey_data).content.decode()
    assert "可提供的资源最多 2000 个字，您填写了 2001 个。" in html


def test_needs_form_strips_control_characters_too(client, demo):
    from plugins.cobuilding.models import Need

    data = {"title": "楼道\x1b[5m照明", "category": "", "description": "三号楼楼道灯\x00坏了很久了",
            "raised_by": "3号楼居民", "contact_phone": ""}  # fmt: skip
    from plugins.cobuilding.models import Category

    data["category"] = Category.values[0]
    response = client.post("/gongshi/xingfuli/submit/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "“需求名称”中含有不可见的控制字符" in html and "“具体描述”中含有" in html
    form = response.context["form"]
    assert form["title"].value() == "楼道照明"
    response = client.post("/gongshi/xingfuli/submit/", {**data, "title": form["title"].value(),
                           "description": form["description"].value()})  # fmt: skip
    assert response.status_code == 302
    assert Need.objects.filter(title="楼道照明", description="三号楼楼道灯坏了很久了").exists()
