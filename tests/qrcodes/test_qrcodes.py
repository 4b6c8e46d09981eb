"""The QR helper and its template tag (site/qrcodes.py, site/templatetags/qr_tags.py)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from gongjian_site.qrcodes import NotAbsoluteURL, qr_svg
from tests.qrcodes.helpers import assert_qr, encodes, qr_svgs


def test_svg_is_valid_xml_and_paints_the_address():
    url = "https://dangjian.example.cn/gongshi/xingfuli/"
    html = str(qr_svg(url, title="扫码<打开>"))
    assert html.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in html
    assert "style=" not in html and "<script" not in html and "data:" not in html
    assert "扫码&lt;打开&gt;" in html  # the title is escaped
    svg = assert_qr(html, url)
    # the check would notice another address: one character differs, the grid differs
    assert not encodes(svg, url.replace("xingfuli", "xingfulj"))
    assert not encodes(svg, url.replace("https", "http"))


def test_relative_or_odd_addresses_are_refused():
    for bad in ("/gongshi/xingfuli/", "javascript:alert(1)", "ftp://x/y", ""):
        with pytest.raises(NotAbsoluteURL):
            qr_svg(bad)


def test_tag_builds_the_address_on_the_readers_host(settings):
    settings.ALLOWED_HOSTS = ["jiangan.example.cn"]
    request = RequestFactory().get("/", HTTP_HOST="jiangan.example.cn")
    template = Template(
        '{% load qr_tags %}{% qr_code path "扫码打开本页" poster_url="/p/" %}{% full_url path %}'
    )
    html = template.render(Context({"request": request, "path": "/baodao/xingfuli/"}))
    assert_qr(html, "http://jiangan.example.cn/baodao/xingfuli/")
    assert "扫码打开本页" in html and 'href="/p/"' in html and "打印海报" in html
    assert html.rstrip().endswith("http://jiangan.example.cn/baodao/xingfuli/")
    # without a request (no host to build from) the tag draws nothing
    assert qr_svgs(Template("{% load qr_tags %}{% qr_code '/x/' %}").render(Context({}))) == []
