"""The filing footer, the 大字/高对比 display modes and the folded search facets."""

import re

import pytest
from wagtail.models import Site

from gongjian_site.accessibility import COOKIE
from gongjian_site.models import AppearanceSettings, FilingSettings
from plugins.orgs.models import CommunityPage

pytestmark = pytest.mark.django_db

FOOTER = re.compile(r'<div class="filing".*?</div>', re.S)


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def filing(demo):
    return FilingSettings.for_site(Site.objects.get(is_default_site=True))


def footer(client, url="/"):
    found = FOOTER.search(client.get(url).content.decode())
    return found.group(0) if found else ""


def test_no_filing_footer_while_every_field_is_blank(client, filing):
    assert not filing
    assert footer(client) == ""


@pytest.mark.parametrize("theme", ["default", "simple"])
def test_the_footer_shows_what_is_filled_in_every_theme(client, filing, theme):
    AppearanceSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"theme": theme}
    )
    filing.host = "中共江安市委组织部"
    filing.icp_number = "浙ICP备12345678号-1"
    filing.police_number = "浙公网安备 33010602012345号"
    filing.save()
    html = footer(client, CommunityPage.objects.get(slug="xingfuli").url)
    assert "主办单位：中共江安市委组织部" in html
    assert '<a href="https://beian.miit.gov.cn/"' in html and "浙ICP备12345678号-1" in html
    assert "code=33010602012345" in html and "浙公网安备 33010602012345号" in html
    # Blank fields are not shown, not even their labels.
    assert "承办单位" not in html and "网站标识码" not in html


def test_changing_the_footer_shows_at_once_on_cached_pages(client, filing, cached):
    client.get("/")
    assert client.get("/").get("X-Page-Cache") == "hit"
    filing.site_code = "3301000001"
    filing.save()
    response = client.get("/")
    assert response.get("X-Page-Cache") == "miss"
    assert "网站标识码：3301000001" in response.content.decode()


def switch_links(html):
    block = re.search(r'<nav class="display-switch".*?</nav>', html, re.S).group(0)
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', block)]


def test_large_text_and_high_contrast_are_kept_in_a_cookie(client, demo, cached):
    url = CommunityPage.objects.get(slug="xingfuli").url
    html = client.get(url).content.decode()
    assert '<html lang="zh-Hans">' in html
    large, contrast = switch_links(html)

    response = client.get(large)
    assert response.status_code == 302 and response["Location"] == url
    assert client.cookies[COOKIE].value == "large"
    html = client.get(url).content.decode()
    assert 'class="mode-large"' in html and "标准字号" in html

    client.get(switch_links(html)[1])
    html = client.get(url).content.decode()
    assert 'class="mode-large mode-contrast"' in html and "标准配色" in html

    # Turning a mode off again; the cache keeps each variant apart.
    client.get(switch_links(html)[0])
    assert client.cookies[COOKIE].value == "contrast"
    assert 'class="mode-contrast"' in client.get(url).content.decode()
    client.cookies.pop(COOKIE)
    response = client.get(url)
    assert response.get("X-Page-Cache") == "hit"
    assert '<html lang="zh-Hans">' in response.content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "", "\x00"]
)
def test_the_switch_only_returns_to_this_site(client, target):
    response = client.get("/display/", {"toggle": "large", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_unknown_cookie_values_are_ignored(client, demo):
    client.cookies[COOKIE] = "<script>-large-huge"
    html = client.get("/").content.decode()
    assert 'class="mode-large"' in html and "<script>-" not in html


def test_search_facets_are_a_folded_panel_above_the_results(client, demo):
    html = client.get("/search/", {"q": "党建"}).content.decode()
    assert '<details class="facets"' in html and "<summary>" in html
    assert html.index('<details class="facets"') < html.index('class="search-results"')
