"""大屏: one public screen per district and street, published data only, the statistics
page's numbers, bounded queries, nothing loaded from another origin."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.db.models import Q
from wagtail.models import PageViewRestriction

from gongjian_site import clock
from plugins.activities.models import ActivityPage
from plugins.evaluation.metrics import all_metrics
from plugins.orgs.models import (
    CityPage,
    CommunityPage,
    DistrictPage,
    ResidentUnitPage,
    StreetPage,
)
from tests.evaluation.test_dashboard import _add_units

# Queries of one screen (HTML) or its data (JSON) on the demo, caches warm: 21 for a street
# and for its district, and the same with 30 more units (test_queries_are_bounded...).
SCREEN_QUERIES = 21


def year():
    return clock.today().year - 1  # the demo's activities and ratings are last year's


def screen_json(client, page, **params):
    response = client.get(f"/evaluation/screen/{page.pk}/data/", {"year": year(), **params})
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/json"
    return response.json()


def embedded_json(html):
    found = re.search(
        r'<script id="screen-data" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(found.group(1))


def chart(data, key):
    return next(table for table in data["charts"] if table["key"] == key)


def figure(data, key):
    return next(item["value"] for item in data["figures"] if item["key"] == key)


def organisations():
    return [*DistrictPage.objects.live(), *StreetPage.objects.live()]


def test_every_district_and_street_has_a_screen(client, demo):
    pages = organisations()
    assert len(pages) == 5  # two districts, three streets
    for page in pages:
        response = client.get(f"/evaluation/screen/{page.pk}/?year={year()}")
        assert response.status_code == 200, page
        html = response.content.decode()
        assert f"<h1>{page.title} · 区域化党建数据大屏</h1>" in html
        embedded = embedded_json(html)
        fetched = screen_json(client, page)
        assert (
            embedded["organisation"]
            == fetched["organisation"]
            == {
                "id": page.pk,
                "title": page.title,
            }
        )
        # The page's JSON and the refresh endpoint's are the same data.
        assert embedded["figures"] == fetched["figures"]
        assert embedded["charts"] == fetched["charts"]
        # One panel per chart (plus the communities' share of activities), big numbers.
        keys = [table["key"] for table in fetched["charts"]]
        assert keys == [metric.key for metric in all_metrics() if metric.public]
        assert {"activities", "claims", "attendance", "ratings"} <= set(keys)
        assert re.findall(r'data-chart="([a-z_-]+)"', html) == [
            keys[0],
            "activities-share",
            *keys[1:],
        ]
        for item in fetched["figures"]:
            shown = "—" if item["value"] is None else str(item["value"])
            assert f'<span data-figure="{item["key"]}">{shown}</span>' in html
        # Refreshing: the data URL is on the page, with the refresh period.
        assert f'data-url="/evaluation/screen/{page.pk}/data/?year={year()}"' in html
        assert 'data-refresh-seconds="300"' in html and "每 5 分钟自动刷新" in html


@pytest.mark.parametrize("org", ["abc", "0", "-1", "²", "٥", "1.0", "9" * 30, "%00", "1 "])
def test_garbage_ids_are_404(client, demo, org):
    assert client.get(f"/evaluation/screen/{org}/").status_code == 404
    assert client.get(f"/evaluation/screen/{org}/data/").status_code == 404


def test_other_page_kinds_and_unpublished_or_private_streets_are_404(client, demo):
    others = [
        CityPage.objects.get(),
        CommunityPage.objects.get(slug="xingfuli"),
        ResidentUnitPage.objects.live().first(),
        ActivityPage.objects.live().first(),
    ]
    for page in others:
        assert client.get(f"/evaluation/screen/{page.pk}/").status_code == 404, page
        assert client.get(f"/evaluation/screen/{page.pk}/data/").status_code == 404, page
    street = StreetPage.objects.get(slug="linjiang")
    assert client.get(f"/evaluation/screen/{street.pk}/").status_code == 200
    PageViewRestriction.objects.create(page=street, restriction_type="password", password="x")
    assert client.get(f"/evaluation/screen/{street.pk}/").status_code == 404
    PageViewRestriction.objects.filter(page=street).delete()
    street.unpublish()
    assert client.get(f"/evaluation/screen/{street.pk}/").status_code == 404
    assert client.get(f"/evaluation/screen/{street.pk}/data/").status_code == 404
    district = DistrictPage.objects.get(slug="jiangbei")
    assert client.get(f"/evaluation/screen/{district.pk}/?year=abc").status_code == 200


def _street_activities(street):
    """Published, public activities of the year in the street or with one of its live
    units: counted directly, not through the metrics."""
    units = ResidentUnitPage.objects.live().descendant_of(street)
    return (
        ActivityPage.objects.live()
        .public()
        .filter(date__year=year())
        .filter(Q(path__startswith=street.path) | Q(participating_units__in=units))
        .distinct()
    )


def test_only_published_data_is_shown(client, demo):
    street = StreetPage.objects.get(slug="xinhua")
    before = screen_json(client, street)
    live = list(_street_activities(street))
    assert figure(before, "activities") == len(live) > 1
    assert figure(before, "units") == ResidentUnitPage.objects.live().descendant_of(street).count()

    # Drafts: an activity, a unit and a community that were never published.
    activity = live[0]
    draft = activity.copy(
        keep_live=False, update_attrs={"slug": "draft-activity", "title": "草稿活动"}
    )
    unit = ResidentUnitPage.objects.live().descendant_of(street).first()
    draft_unit = unit.copy(
        keep_live=False, update_attrs={"slug": "draft-unit", "title": "尚未发布的单位"}
    )
    community = CommunityPage.objects.live().descendant_of(street).first()
    community.copy(keep_live=False, update_attrs={"slug": "draft-community", "title": "筹建社区"})
    # A published activity behind a password is not public either.
    private = live[1]
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")

    after = screen_json(client, street)
    text = json.dumps(after, ensure_ascii=False)
    assert "尚未发布的单位" not in text and "筹建社区" not in text
    assert figure(after, "activities") == figure(before, "activities") - 1  # the private one
    assert figure(after, "units") == figure(before, "units")
    assert figure(after, "communities") == figure(before, "communities")
    html = client.get(f"/evaluation/screen/{street.pk}/?year={year()}").content.decode()
    assert "尚未发布的单位" not in html and "筹建社区" not in html

    # Published, they count: the screen follows publication.
    draft.save_revision().publish()
    draft_unit.save_revision().publish()
    published = screen_json(client, street)
    assert figure(published, "activities") == figure(after, "activities") + 1
    assert figure(published, "units") == figure(after, "units") + 1
    assert "尚未发布的单位" in json.dumps(published, ensure_ascii=False)


def test_numbers_are_the_statistics_pages(client, demo):
    response = client.get(f"/evaluation/statistics/?year={year()}")
    assert response.status_code == 200
    city = {chart["metric"].key: chart["table"] for chart in response.context["charts"]}
    city_activities = city["activities"]
    streets = list(StreetPage.objects.live())
    ratings_total = 0
    for page in organisations():
        data = screen_json(client, page)
        activities = chart(data, "activities")
        for column in activities["columns"]:
            if column == "街道及其他":
                continue
            # A community's monthly counts are the statistics page's cells.
            for label, values in activities["rows"]:
                index = activities["columns"].index(column)
                assert values[index] == city_activities.cell(label, column), (page, column)
        for key in ("claims", "attendance"):
            for label, values in chart(data, key)["rows"]:
                assert values == [city[key].cell(label, city[key].columns[0])], (page, key)
            assert len(chart(data, key)["rows"]) == (
                ResidentUnitPage.objects.live().descendant_of(page).count()
            )
        assert figure(data, "claims") == chart(data, "claims")["total"]
        assert figure(data, "activities") == _street_activities(page).count()
        if page in streets:
            ratings_total += figure(data, "ratings")
    # Each closed rating round is one street's: the streets' screens add up to the city's.
    assert ratings_total == city["ratings"].total()
    # The districts' unit tables together are the city's.
    district_units = sum(
        len(chart(screen_json(client, d), "claims")["rows"]) for d in DistrictPage.objects.live()
    )
    assert district_units == len(city["claims"].rows)


def _queries(client, page, django_assert_max_num_queries, suffix=""):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/evaluation/screen/{page.pk}/{suffix}?year={year()}")
    assert response.status_code == 200
    return len(queries)


def test_queries_are_bounded_and_do_not_grow(client, demo, django_assert_max_num_queries):
    street = StreetPage.objects.get(slug="xinhua")
    district = DistrictPage.objects.get(slug="jiangbei")
    small = StreetPage.objects.get(slug="chunhe")
    for page in (small, street, district):
        client.get(f"/evaluation/screen/{page.pk}/")  # warm the site and content-type caches
        with django_assert_max_num_queries(SCREEN_QUERIES):
            client.get(f"/evaluation/screen/{page.pk}/?year={year()}")
        with django_assert_max_num_queries(SCREEN_QUERIES):
            client.get(f"/evaluation/screen/{page.pk}/data/?year={year()}")
    before = {
        (page.pk, suffix): _queries(client, page, django_assert_max_num_queries, suffix)
        for page in (street, district)
        for suffix in ("", "data/")
    }
    units = _add_units(CommunityPage.objects.get(slug="xingfuli"), year(), 30)
    after = {
        (page.pk, suffix): _queries(client, page, django_assert_max_num_queries, suffix)
        for page in (street, district)
        for suffix in ("", "data/")
    }
    assert after == before, (before, after)
    data = screen_json(client, district)
    assert figure(data, "units") >= 30
    assert {units[0].title, units[-1].title} <= {row[0] for row in chart(data, "claims")["rows"]}


def test_nothing_from_another_origin_and_no_inline_code(client, demo):
    street = StreetPage.objects.get(slug="xinhua")
    html = client.get(f"/evaluation/screen/{street.pk}/?year={year()}").content.decode()
    for url in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert not urlsplit(url).netloc and not url.startswith("//"), url
    assert not re.search(r"https?://", html)
    assert " style=" not in html and "<style" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attrs, body in scripts:
        # Code only from files of this site; the one inline element is JSON (not run).
        assert 'src="/static/' in attrs or ('type="application/json"' in attrs and body)
    sources = re.findall(r'<script src="/static/([^"]+)"', html)
    assert sources == ["evaluation/vendor/echarts-6.1.0.min.js", "evaluation/screen.js"]
    for path in [*sources, "evaluation/screen.css"]:
        assert finders.find(path), path
    csp = client.get(f"/evaluation/screen/{street.pk}/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    # The vendored ECharts carries its licence.
    assert finders.find("evaluation/vendor/echarts-LICENSE.txt")


def test_links_from_statistics_organisation_pages_and_sitemap(client, demo):
    pages = organisations()
    html = client.get(f"/evaluation/statistics/?year={year()}").content.decode()
    # This year's screens (what a wall shows), from whichever year's statistics.
    linked = re.findall(r'href="(/evaluation/screen/(\d+)/)" data-screen', html)
    assert {int(pk) for _url, pk in linked} == {page.pk for page in pages}
    for url, _pk in linked:
        assert client.get(url.replace("&amp;", "&")).status_code == 200
    from tests.theme.test_navigation import sections_of

    for page in pages:
        assert sections_of(client, page.url)["screen"] == f"/evaluation/screen/{page.pk}/"
    assert "screen" not in sections_of(client, "/")  # the city has the statistics page
    assert "screen" not in sections_of(client, CommunityPage.objects.get(slug="xingfuli").url)
    sitemap = client.get("/sitemap.xml").content.decode()
    for page in pages:
        assert f"/evaluation/screen/{page.pk}/</loc>" in sitemap
