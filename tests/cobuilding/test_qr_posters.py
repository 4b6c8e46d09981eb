"""QR codes on the 公示 board and the needs form, and their A4 posters."""

import pytest
from django.contrib.staticfiles import finders

from tests.qrcodes.helpers import assert_qr, qr_svgs

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
BOARD = "/gongshi/xingfuli/"
FORM = "/gongshi/xingfuli/submit/"


def test_board_shows_codes_of_itself_and_of_the_needs_form(
    client, lists, django_assert_max_num_queries
):
    client.get(BOARD)  # warm, as a visitor meets it (site root paths, footer settings)
    with django_assert_max_num_queries(16):
        response = client.get(BOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert_qr(body, HOST + BOARD)
    assert_qr(body, HOST + FORM)
    assert "扫码打开本页" in body and "扫码提需求" in body
    assert 'href="/gongshi/xingfuli/poster/"' in body and "打印海报" in body
    assert "gongjian/qr.css" in body
    # the filters keep the code of the board itself, not of the filtered address
    filtered = client.get(BOARD + "?status=open").content.decode()
    assert_qr(filtered, HOST + BOARD)


def test_needs_form_shows_its_code_also_after_a_failed_submission(client, lists):
    body = client.get(FORM).content.decode()
    assert_qr(body, HOST + FORM)
    assert 'href="/gongshi/xingfuli/submit/poster/"' in body
    response = client.post(FORM, {"title": ""})
    assert response.status_code == 400
    assert_qr(response.content.decode(), HOST + FORM)


def test_the_code_follows_the_readers_host(client, lists, settings):
    settings.ALLOWED_HOSTS = ["dangjian.jiangan.gov.cn"]
    body = client.get(BOARD, HTTP_HOST="dangjian.jiangan.gov.cn").content.decode()
    assert_qr(body, "http://dangjian.jiangan.gov.cn" + BOARD)


@pytest.mark.parametrize(
    ("url", "target", "words"),
    [
        ("/gongshi/xingfuli/poster/", BOARD, ["三个清单公示", "扫码查看三个清单"]),
        ("/gongshi/xingfuli/submit/poster/", FORM, ["扫码提需求", "不会公开"]),
    ],
)
def test_posters(client, lists, url, target, words, django_assert_max_num_queries):
    client.get(url)
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "gongjian/poster.css" in body and "幸福里社区" in body
    for word in words:
        assert word in body
    svgs = qr_svgs(body)
    assert len(svgs) == 1 and "qr-code--poster" in body
    assert_qr(body, HOST + target)
    assert f'<p class="qr-poster__url">{HOST}{target}</p>' in body
    with open(finders.find("gongjian/poster.css"), encoding="utf-8") as css:
        assert "size: A4" in css.read()


def test_posters_of_unknown_communities_are_404(client, lists):
    for url in ("/gongshi/no-such/poster/", "/gongshi/no-such/submit/poster/"):
        response = client.get(url)
        assert response.status_code == 404
