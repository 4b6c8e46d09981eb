"""Activity records: the page type, the lists on organisation pages, the index and RSS."""

import io
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from plugins.activities.models import (
    DEFAULT_KINDS,
    ActivityGalleryImage,
    ActivityIndexPage,
    ActivityKind,
    ActivityPage,
)
from plugins.archive.api import CaptionedImageBlock, publish_fields
from plugins.orgs.models import CommunityPage, DistrictPage, OrganisationPage, ResidentUnitPage


def community_a():
    return CommunityPage.objects.get(slug="xingfuli")


def add_activity(parent, title, when, kind="主题党日", **fields):
    page = ActivityPage(
        title=title, date=when, kind=ActivityKind.objects.get(name=kind),
        **publish_fields(), **fields,
    )  # fmt: skip
    parent.add_child(instance=page)
    return page


@pytest.fixture
def image(db):
    return Image.objects.create(title="合影", file=get_test_image_file())


def test_setup_seeds_every_default_kind_once(demo):
    from plugins.activities.setup import setup

    setup()
    setup()
    names = list(ActivityKind.objects.values_list("name", flat=True))
    assert sorted(names) == sorted(DEFAULT_KINDS)


def test_activity_parents_follow_the_issue(demo):
    allowed = {m._meta.model_name for m in ActivityPage.allowed_parent_page_models()}
    assert {"communitypage", "gridbranchpage", "partygrouppage", "streetpage",
            "residentunitpage"} <= allowed  # fmt: skip
    assert "districtpage" not in allowed
    assert ActivityPage.can_exist_under(community_a())
    assert not ActivityPage.can_exist_under(DistrictPage.objects.get(slug="jiangbei"))


def test_create_activity_with_all_fields(demo):
    hospital = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    page = add_activity(
        community_a(), "测试主题党日", date(2025, 3, 5), end_date=date(2025, 3, 6),
        place="幸福里党群服务中心", participant_count=30, summary="摘要", outcome="成效",
        body=[{"type": "paragraph", "value": "<p>正文</p>"}, {"type": "quote", "value": "引用"}],
    )  # fmt: skip
    page.participating_units = [hospital]
    page.tags.add("党史学习")
    page.save()
    page = ActivityPage.objects.get(pk=page.pk)
    assert page.organiser.pk == community_a().pk
    assert list(page.participating_units.all()) == [hospital]
    assert [t.name for t in page.tags.all()] == ["党史学习"]
    assert [b.block_type for b in page.body] == ["paragraph", "quote"]


def test_end_date_before_start_is_refused(demo):
    page = ActivityPage(title="x", date=date(2025, 3, 5), end_date=date(2025, 3, 1))
    with pytest.raises(ValidationError) as caught:
        page.clean()
    assert "结束日期" in str(caught.value)


def test_gallery_image_alt_text_is_required(demo, image):
    item = ActivityGalleryImage(image=image, alt_text="  ")
    with pytest.raises(ValidationError) as caught:
        item.clean()
    assert "替代文字" in str(caught.value)
    ActivityGalleryImage(image=image, alt_text="党员合影").clean()


def test_body_image_alt_text_is_required(image):
    block = CaptionedImageBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": "说明"}))
    block.clean(block.to_python({"image": image.pk, "alt_text": "志愿者", "caption": ""}))


def test_admin_refuses_gallery_photo_without_alt_text(admin_client_demo, image):
    """Through the real admin form: the page is not created and the editor sees why."""
    parent = community_a()
    kind = ActivityKind.objects.get(name="党课")
    url = f"/admin/pages/add/activities/activitypage/{parent.pk}/"
    data = {
        "title": "无替代文字的活动", "slug": "no-alt", "date": "2025-04-01", "kind": kind.pk,
        "summary": "", "outcome": "", "tags": "", "body-count": "0",
        "gallery_images-TOTAL_FORMS": "1", "gallery_images-INITIAL_FORMS": "0",
        "gallery_images-MIN_NUM_FORMS": "0", "gallery_images-MAX_NUM_FORMS": "1000",
        "gallery_images-0-image": image.pk, "gallery_images-0-alt_text": "",
        "gallery_images-0-caption": "", "gallery_images-0-ORDER": "1",
        "gallery_images-0-id": "", "gallery_images-0-DELETE": "",
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    response = admin_client_demo.post(url, data)
    assert response.status_code == 200
    assert not ActivityPage.objects.filter(slug="no-alt").exists()
    data["gallery_images-0-alt_text"] = "党员合影"
    response = admin_client_demo.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ActivityPage.objects.get(slug="no-alt").gallery_images.get().alt_text == "党员合影"


def test_demo_has_activities_and_an_index(demo):
    assert ActivityPage.objects.live().count() >= 5
    assert ActivityIndexPage.objects.live().count() == 1


def test_organisation_page_lists_own_and_descendant_activities(
    client, demo, django_assert_max_num_queries
):
    street = OrganisationPage.objects.get(slug="xinhua")
    with django_assert_max_num_queries(40):
        response = client.get(street.url)
    html = response.content.decode()
    assert response.status_code == 200
    # 幸福里 (child community) and 3号楼党群微家 (great-grandchild) both show on the street
    assert "第三季度党建联席会议" in html
    assert "3号楼党群微家“微心愿”认领" in html
    # 临江 is another street: its page lists none of them
    other = client.get(OrganisationPage.objects.get(slug="linjiang").url).content.decode()
    assert "第三季度党建联席会议" not in other


def test_recent_activities_are_paginated(client, demo):
    parent = community_a()
    for day in range(1, 13):
        add_activity(parent, f"分页测试活动{day:02d}", date(2026, 1, day))
    first = client.get(parent.url).content.decode()
    assert "分页测试活动12" in first and "分页测试活动01" not in first
    # 12 new + 4 demo activities (own and 3号楼's), 5 a page: the oldest new ones on page 3
    third = client.get(parent.url, {"activities_page": 3}).content.decode()
    assert "分页测试活动01" in third and "分页测试活动12" not in third
    assert "第 3 / 4 页" in third
    assert client.get(parent.url, {"activities_page": "abc"}).status_code == 200


def test_query_count_does_not_grow_with_activities(client, demo, django_assert_max_num_queries):
    parent = community_a()
    for day in range(1, 6):
        add_activity(parent, f"查询计数{day}", date(2026, 2, day))
    index = ActivityIndexPage.objects.get()
    with django_assert_max_num_queries(30):
        assert client.get(index.url).status_code == 200


@pytest.fixture
def index_with_activities(demo):
    parent = community_a()
    grid = OrganisationPage.objects.get(slug="grid-1", path__startswith=parent.path)
    hospital = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    a = add_activity(parent, "筛选甲", date(2024, 3, 1), "党课")
    b = add_activity(grid, "筛选乙", date(2024, 4, 2), "志愿服务")
    c = add_activity(parent, "筛选丙", date(2023, 3, 9), "志愿服务")
    c.participating_units = [hospital]
    c.save()
    return ActivityIndexPage.objects.get(), {"a": a, "b": b, "c": c}, hospital


def titles(response):
    return {p.title for p in response.context["activities"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2024"}, {"筛选甲", "筛选乙"}),
        ({"year": "2024", "month": "3"}, {"筛选甲"}),
        ({"month": "3"}, {"筛选甲", "筛选丙"}),
    ],
)
def test_index_filters_by_year_and_month(client, index_with_activities, params, expected):
    index, _pages, _unit = index_with_activities
    assert titles(client.get(index.url, params)) & {"筛选甲", "筛选乙", "筛选丙"} == expected


def test_index_filters_by_kind_and_unit(client, index_with_activities):
    index, _pages, hospital = index_with_activities
    kind = ActivityKind.objects.get(name="志愿服务")
    found = titles(client.get(index.url, {"kind": kind.pk}))
    assert {"筛选乙", "筛选丙"} <= found and "筛选甲" not in found
    found = titles(client.get(index.url, {"unit": hospital.pk, "year": "2023"}))
    assert found == {"筛选丙"}


def test_index_bad_filter_values_are_explained_not_500(client, index_with_activities):
    index, _pages, _unit = index_with_activities
    response = client.get(index.url, {"year": "abc", "kind": "999999", "month": "3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "已忽略" in html
    assert titles(response) & {"筛选甲", "筛选乙", "筛选丙"} == {"筛选甲", "筛选丙"}


def test_rss_feed_is_valid_xml_with_the_right_items(client, demo, django_assert_max_num_queries):
    community = community_a()
    with django_assert_max_num_queries(20):
        response = client.get(f"/feeds/activities/{community.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss"
    channel = root.find("channel")
    assert "幸福里社区大党委" in channel.findtext("title")
    items = [item.findtext("title") for item in channel.findall("item")]
    expected = [
        p.title
        for p in ActivityPage.objects.live().descendant_of(community).order_by("-date", "-pk")
    ]
    assert items == expected and "光明社区与华信科技结对共建签约" not in items
    links = [item.findtext("link") for item in channel.findall("item")]
    assert all(link.startswith("http") for link in links)


def test_rss_feed_of_unknown_page_is_404(client, demo):
    assert client.get("/feeds/activities/999999/").status_code == 404
    root_page = Page.get_first_root_node()
    assert client.get(f"/feeds/activities/{root_page.pk}/").status_code == 404


def test_activity_page_renders_with_its_facts(client, demo, django_assert_max_num_queries):
    page = ActivityPage.objects.get(source_id="demo-activity-3")
    with django_assert_max_num_queries(25):
        response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "联席会议" in html and "幸福里社区大党委" in html and "江安市第十二中学" in html


def test_setup_is_idempotent_for_the_index(demo):
    from django.core.management import call_command

    call_command("setup_site", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    assert ActivityIndexPage.objects.count() == 1
    assert ActivityPage.objects.filter(source_id__startswith="demo-").count() == 5


def test_editors_can_extend_the_kinds_in_the_admin(admin_client_demo):
    listing = admin_client_demo.get("/admin/snippets/activities/activitykind/")
    assert listing.status_code == 200 and "主题党日" in listing.content.decode()
    response = admin_client_demo.post(
        "/admin/snippets/activities/activitykind/add/", {"name": "读书分享", "sort_order": 20}
    )
    assert response.status_code == 302
    assert ActivityKind.objects.filter(name="读书分享").exists()
    duplicate = admin_client_demo.post(
        "/admin/snippets/activities/activitykind/add/", {"name": "读书分享", "sort_order": 21}
    )
    assert duplicate.status_code == 200  # refused with a form error, not a 500
