"""Hostile input from logged-in users (issue 15, item 9): odd query parameters on record
lists and reports, a rich-text body that is not the editor's JSON, broken images.
Each answered 500 before; now a clear Chinese message, and nothing valid is lost."""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from plugins.cobuilding.models import Need
from plugins.evaluation.models import AnnualReport
from plugins.orgs.models import CommunityPage
from tests.production.helpers import form_data, multipart, rich_text

User = get_user_model()


def logged_in(username):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    return client


# --- record lists: unknown and odd query parameters -----------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "utm_source=x",
        "year=abc",
        "year=%C2%B2",
        "community=%C2%B2",
        "community=9223372036854775808",
        "community__id__exact=9223372036854775808",
        "created_by__password__startswith=p",
        "status__exact=%00",
        "q=%00",
        "q=a%00b&status__exact=open%00",
        "p=9223372036854775808",
        "o=%C2%B2",
    ],
)
@pytest.mark.parametrize("username", ["admin", "secretary_a"])
def test_needs_list_ignores_what_it_cannot_use(demo, username, query):
    response = logged_in(username).get(f"/admin/cobuilding/need/?{query}")
    assert response.status_code == 200, query


def test_an_unknown_parameter_is_named_and_the_valid_filter_still_applies(demo):
    needs = list(Need.objects.order_by("pk"))
    mine = needs[0]
    others = [need for need in needs if need.status != mine.status]
    assert others, "the demo has needs in more than one state"
    response = logged_in("admin").get(
        f"/admin/cobuilding/need/?status__exact={mine.status}&utm_source=x&year=abc"
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "已忽略" in text and "utm_source" in text and "year" in text
    assert mine.title in text
    assert all(other.title not in text for other in others)


def test_raw_lookups_on_hidden_fields_are_not_applied(demo):
    """A list must not become an oracle on fields it does not show."""
    client = logged_in("admin")
    everything = client.get("/admin/cobuilding/need/").content.decode()
    probed = client.get(
        "/admin/cobuilding/need/?contact_phone__startswith=zzz-no-such-phone"
    ).content.decode()
    title = Need.objects.first().title
    assert title in everything and title in probed


@pytest.mark.parametrize(
    "url",
    [
        "/admin/workflows/notice/?page=%C2%B2",
        "/admin/workflows/notice/?page=9223372036854775808&task_state=%C2%B2&kind=done",
        "/admin/meetings/attendance/?unit=%C2%B2",
        "/admin/meetings/attendance/?unit=9223372036854775808&year=%C2%B2",
        "/admin/registrations/unitsurvey/?community=%C2%B2",
        "/admin/registrations/unitcheckin/?community=%C2%B2&utm_source=x",
        "/admin/registrations/membercheckin/?community=9223372036854775808",
        "/admin/cobuilding/need/?community=%C2%B2",
        "/admin/cobuilding/fulfilment/?community=%C2%B2",
        "/admin/cobuilding/fulfilment/?community=9223372036854775808",
        "/admin/evaluation/annualreport/?year=abc&utm_source=x",
        "/admin/evaluation/dashboard/?org=9223372036854775808&year=%C2%B2",
        "/admin/evaluation/dashboard/?org=%C2%B2",
        "/admin/access/appointment/?zzz=1",
    ],
)
@pytest.mark.parametrize("username", ["admin", "secretary_a", "member_a"])
def test_admin_views_never_answer_500_for_odd_ids(demo, url, username):
    response = logged_in(username).get(url)
    assert response.status_code in (200, 302, 403, 404), (url, response.status_code)


# --- rich text that is not the editor's JSON -----------------------------------------


def annual_report_form(client):
    url = "/admin/evaluation/annualreport/create/"
    data = form_data(client.get(url).content.decode())
    data["title"] = data.get("title") or "2024年度述职报告"
    data["year"] = "2024"
    return url, data


@pytest.mark.parametrize(
    "body",
    [
        "<p>不是编辑器的格式</p>",
        "{",
        json.dumps({"blocks": "no"}),
        json.dumps([1, 2, 3]),
        json.dumps("eine Zeichenkette"),
    ],
)
def test_a_body_that_is_not_editor_json_is_a_form_error(demo, body):
    client = logged_in("admin")
    url, data = annual_report_form(client)
    data["body"] = body
    before = AnnualReport.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "正文内容无法识别" in text
    assert AnnualReport.objects.count() == before
    # The other fields keep what was typed.
    assert "2024" in text


def test_a_body_from_the_editor_is_saved(demo):
    client = logged_in("admin")
    url, data = annual_report_form(client)
    data["body"] = rich_text("本年度履职情况良好。")
    for name, value in list(data.items()):
        if name.endswith("user") and not value:
            data[name] = str(User.objects.get(username="member_a").pk)
        if name.endswith("committee") and not value:
            data[name] = str(CommunityPage.objects.get(slug="xingfuli").pk)
    before = AnnualReport.objects.count()
    response = client.post(url, data)
    assert "正文内容无法识别" not in response.content.decode()
    if response.status_code == 302:
        assert AnnualReport.objects.count() == before + 1
        assert "履职情况良好" in AnnualReport.objects.latest("pk").body


# --- broken images --------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def image_bytes(image_format):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "red").save(buffer, image_format)
    return buffer.getvalue()


def upload(client, filename, content, content_type):
    url = reverse("wagtailimages:add")
    data = form_data(client.get(url).content.decode())
    data["title"] = "上传测试"
    body, multipart_type = multipart(data, {"file": (filename, content, content_type)})
    return client.generic("POST", url, body, content_type=multipart_type)


BROKEN = {
    "truncated.png": (image_bytes("PNG")[:-30], "image/png"),
    "half.png": (image_bytes("PNG")[: len(image_bytes("PNG")) // 2], "image/png"),
    "polyglot.gif": (image_bytes("GIF") + b"*/=alert(document.domain);//", "image/gif"),
    "script-after.png": (image_bytes("PNG") + b"<script>alert(1)</script>", "image/png"),
    "header-only.gif": (b"GIF89a\x2f\x2a\x0a\x00\x00\x00\x00*/=alert(1)//;", "image/gif"),
    "truncated.jpg": (image_bytes("JPEG")[:200], "image/jpeg"),
}


@pytest.mark.parametrize("filename", sorted(BROKEN))
def test_broken_images_are_refused_in_chinese(demo, media, filename):
    content, content_type = BROKEN[filename]
    client = logged_in("admin")
    before = get_image_model().objects.count()
    response = client.get("/admin/")  # warm the session
    response = upload(client, filename, content, content_type)
    assert response.status_code == 200
    text = response.content.decode()
    assert "图片文件已损坏" in text or "不支持的图片格式" in text or "无效" in text, text[-2000:]
    assert get_image_model().objects.count() == before


@pytest.mark.parametrize(
    "image_format, name",
    [("PNG", "ok.png"), ("GIF", "ok.gif"), ("JPEG", "ok.jpg"), ("WEBP", "ok.webp")],
)
def test_sound_images_are_still_accepted(demo, media, image_format, name):
    client = logged_in("admin")
    before = get_image_model().objects.count()
    response = upload(client, name, image_bytes(image_format), f"image/{image_format.lower()}")
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert get_image_model().objects.count() == before + 1
