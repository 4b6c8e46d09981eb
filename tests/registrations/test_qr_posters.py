"""QR codes on the 报到登记 page and its forms, and their A4 posters."""

import pytest

from tests.meetings.conftest import city  # noqa: F401 (the light demo: tree and accounts)
from tests.qrcodes.helpers import assert_qr, qr_svgs

from .conftest import CHECKIN_URL, MEMBER_URL, SURVEY_URL

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
INDEX = "/baodao/xingfuli/"


def test_index_shows_its_code_and_poster_link(client, city, django_assert_max_num_queries):  # noqa: F811
    client.get(INDEX)
    with django_assert_max_num_queries(8):
        response = client.get(INDEX)
    body = response.content.decode()
    assert_qr(body, HOST + INDEX)
    assert "扫码打开本页" in body and f'href="{INDEX}poster/"' in body


@pytest.mark.parametrize("url", [SURVEY_URL, CHECKIN_URL, MEMBER_URL])
def test_each_form_shows_its_own_code(client, city, url):  # noqa: F811
    response = client.get(url)
    body = response.content.decode()
    assert len(qr_svgs(body)) == 1
    assert_qr(body, HOST + url)
    assert f'href="{url}poster/"' in body
    response = client.post(url, {"unit_name": ""})  # a failed submission keeps the code
    assert response.status_code == 200
    assert_qr(response.content.decode(), HOST + url)


@pytest.mark.parametrize(
    ("url", "target", "title"),
    [
        (INDEX + "poster/", INDEX, "报到登记"),
        (SURVEY_URL + "poster/", SURVEY_URL, "驻区单位摸排登记表"),
        (CHECKIN_URL + "poster/", CHECKIN_URL, "驻区单位党组织报到登记表"),
        (MEMBER_URL + "poster/", MEMBER_URL, "在职党员到社区报到登记表"),
    ],
)
def test_posters(client, city, url, target, title):  # noqa: F811
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<h1 class="qr-poster__title">{title}</h1>' in body
    assert "幸福里社区" in body and "gongjian/poster.css" in body
    assert_qr(body, HOST + target)
    assert f'<p class="qr-poster__url">{HOST}{target}</p>' in body


def test_unknown_posters_are_404(client, city):  # noqa: F811
    for url in ("/baodao/no-such/poster/", "/baodao/xingfuli/no-such/poster/",
                "/baodao/no-such/member/poster/"):  # fmt: skip
        assert client.get(url).status_code == 404
