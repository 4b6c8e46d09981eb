"""Typical cases: the page type, the per-district index with filters, the home page."""

from datetime import date

import pytest
from wagtail.models import Page

from plugins.archive.api import publish_fields
from plugins.cases.models import CaseIndexPage, CasePage
from plugins.orgs.models import CityPage, DistrictPage, OrganisationPage


def add_case(parent, title, when, **fields):
    tags = fields.pop("tags", [])
    page = CasePage(title=title, date=when, **publish_fields(), **fields)
    page.tags.set(tags)
    parent.add_child(instance=page)
    return page


def test_every_district_has_one_case_index(demo):
    from plugins.cases.setup import setup

    setup()
    for district in DistrictPage.objects.all():
        assert CaseIndexPage.objects.child_of(district).count() == 1


def test_case_fields_and_relations(demo):
    community = OrganisationPage.objects.get(slug="xingfuli")
    unit = OrganisationPage.objects.get(slug="huaxin-tech")
    page = add_case(community, "案例字段", date(2025, 1, 2), lead="导语", author="谢文",
                    source="区委组织部", recommended=True, tags=["共建"])  # fmt: skip
    page.organisations = [community, unit]
    page.save()
    page = CasePage.objects.get(pk=page.pk)
    assert set(page.organisations.values_list("slug", flat=True)) == {"xingfuli", "huaxin-tech"}
    assert page.recommended and [t.name for t in page.tags.all()] == ["共建"]
    assert not CasePage.can_exist_under(Page.get_first_root_node())


@pytest.fixture
def cases(demo):
    street = OrganisationPage.objects.get(slug="xinhua")
    community = OrganisationPage.objects.get(slug="guangming")
    other_district = OrganisationPage.objects.get(slug="chunhui")
    return {
        "a": add_case(street, "筛选案例甲", date(2023, 5, 1), tags=["党建引领"]),
        "b": add_case(community, "筛选案例乙", date(2024, 5, 1), recommended=True),
        "c": add_case(other_district, "筛选案例丙", date(2024, 6, 1), recommended=True),
    }


def titles(response):
    return {case.title for case in response.context["cases"]} & {
        "筛选案例甲",
        "筛选案例乙",
        "筛选案例丙",
    }


def index_of(slug):
    return CaseIndexPage.objects.child_of(DistrictPage.objects.get(slug=slug)).get()


def test_index_lists_only_its_district(client, cases, django_assert_max_num_queries):
    index = index_of("jiangbei")
    with django_assert_max_num_queries(30):
        response = client.get(index.url)
    assert response.status_code == 200
    assert titles(response) == {"筛选案例甲", "筛选案例乙"}
    assert titles(client.get(index_of("binhe").url)) == {"筛选案例丙"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2024"}, {"筛选案例乙"}),
        ({"recommended": "on"}, {"筛选案例乙"}),
        ({"tag": "党建引领"}, {"筛选案例甲"}),
        ({"year": "1999"}, {"筛选案例甲", "筛选案例乙"}),  # not a year on offer: ignored
    ],
)
def test_index_filters(client, cases, params, expected):
    assert titles(client.get(index_of("jiangbei").url, params)) == expected


def test_index_filters_by_organisation(client, cases):
    guangming = OrganisationPage.objects.get(slug="guangming")
    response = client.get(index_of("jiangbei").url, {"organisation": guangming.pk})
    assert titles(response) == {"筛选案例乙"}


def test_bad_filter_values_are_explained(client, cases):
    response = client.get(index_of("jiangbei").url, {"organisation": "x", "year": "abc"})
    assert response.status_code == 200
    assert "已忽略" in response.content.decode()


def test_featured_cases_on_the_home_page(client, demo, django_assert_max_num_queries):
    city = CityPage.objects.get()
    with django_assert_max_num_queries(40):
        html = client.get(city.url).content.decode()
    featured = CasePage.objects.filter(featured=True).values_list("title", flat=True)
    assert featured and all(title in html for title in featured)
    not_featured = CasePage.objects.filter(featured=False).first()
    assert not_featured.title not in html


def test_case_page_renders(client, demo, django_assert_max_num_queries):
    case = CasePage.objects.live().first()
    with django_assert_max_num_queries(25):
        response = client.get(case.url)
    assert response.status_code == 200
    assert case.title in response.content.decode()
