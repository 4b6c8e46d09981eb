"""Residents find everything by links: each organisation's 栏目, the sitemap, a crawl."""

import re
import xml.etree.ElementTree as ET
from collections import deque
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from django.urls import resolve

from plugins.activities.models import ActivityPage
from plugins.cases.models import CasePage
from plugins.orgs.models import CityPage, CommunityPage, DistrictPage, GridBranchPage, StreetPage

pytestmark = pytest.mark.django_db

SECTIONS = re.compile(r'<nav class="org-sections".*?</nav>', re.S)
LINK = re.compile(r'href="([^"]+)" data-section="([a-z_]+)"')


def sections_of(client, url):
    html = client.get(url).content.decode()
    found = SECTIONS.search(html)
    return (
        {key: href.replace("&amp;", "&") for href, key in LINK.findall(found.group(0))}
        if found
        else {}
    )


def test_each_organisation_links_its_own_sections(client, demo):
    home = sections_of(client, "/")
    assert {"activities", "cases", "compilations", "statistics"} <= set(home)

    district = DistrictPage.objects.get(slug="jiangbei")
    links = sections_of(client, district.url)
    assert links["cases"] == "/jiangbei/cases/"
    assert links["statistics"] == "/evaluation/statistics/"

    community = CommunityPage.objects.get(slug="xingfuli")
    links = sections_of(client, community.url)
    assert links["board"] == "/gongshi/xingfuli/"
    assert "statistics" not in links
    # The activity link opens the community's own activities, and only those.
    page = client.get(links["activities"]).content.decode()
    own = ActivityPage.objects.live().descendant_of(community)
    others = ActivityPage.objects.live().exclude(pk__in=own.values("pk"))
    assert own.exists() and others.exists()
    assert all(a.title in page for a in own)
    assert not any(a.title in page for a in others)
    # The case link filters the district's index to the community's cases.
    page = client.get(links["cases"]).content.decode()
    for case in CasePage.objects.live():
        concerns = case.path.startswith(community.path) or community in case.organisations.all()
        assert (case.title in page) == concerns


def test_sections_appear_only_where_content_exists(client, demo):
    grid = GridBranchPage.objects.filter(slug="grid-2").first()
    links = sections_of(client, grid.url)
    assert "cases" not in links and "compilations" not in links and "board" not in links


def test_organisation_page_queries_stay_bounded(client, demo, django_assert_max_num_queries):
    street = StreetPage.objects.get(slug="xinhua")
    client.get(street.url)  # warm Wagtail's site and settings caches
    with django_assert_max_num_queries(60):
        assert client.get(street.url).status_code == 200


def test_sitemap_lists_pages_and_public_views(client, demo):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    paths = {urlsplit(loc.text).path for loc in root.findall("s:url/s:loc", ns)}
    for expected in (
        "/",
        "/evaluation/statistics/",
        "/gongshi/xingfuli/",
        "/gongshi/xingfuli/submit/",
        "/baodao/xingfuli/",
        "/baodao/xingfuli/survey/",
        f"/feeds/activities/{CityPage.objects.get().pk}/",
    ):
        assert expected in paths, expected
    assert any(p.startswith("/feeds/meetings/") and p.endswith("/ical/") for p in paths)
    # Every location answers.
    for path in sorted(paths):
        assert client.get(path).status_code == 200, path


def crawl(client, start="/", limit=1000):
    """Breadth-first over same-site links of HTML pages, as a resident clicking would."""
    seen, queue, kinds = {start}, deque([start]), {}
    while queue and len(seen) < limit:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        match = resolve(urlsplit(url).path)
        kinds.setdefault(match.url_name or match.view_name, url)
        page = getattr(response, "context_data", None) or {}
        if response.context and "page" in response.context:
            page = response.context["page"]
            kinds.setdefault(type(page).__name__, url)
        # Like a search engine, skip rel="nofollow" links (the 大字/高对比 switches).
        for href in re.findall(
            r'href="([^"#]+)"(?![^>]*rel="nofollow")', response.content.decode()
        ):
            href = href.replace("&amp;", "&")
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc or parts.path.startswith(("/admin", "/documents", "/static", "/media")):
                continue
            target = unquote(parts.path) + (f"?{parts.query}" if parts.query else "")
            if target not in seen and "page=" not in parts.query:
                seen.add(target)
                queue.append(target)
    return kinds


def test_a_crawler_from_the_home_page_reaches_every_public_page_kind(client, demo):
    kinds = crawl(client)
    for kind in (
        "DistrictPage",
        "StreetPage",
        "CommunityPage",
        "GridBranchPage",
        "ResidentUnitPage",
        "ActivityPage",
        "ActivityIndexPage",
        "CasePage",
        "CaseIndexPage",
        "CompilationPage",
        "CompilationArticlePage",
        "MeetingPage",
        "board",
        "submit_need",
        "statistics",
        "form",
        "search",
    ):
        assert kind in kinds, f"{kind} not reachable by links from the home page"
