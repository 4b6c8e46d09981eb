"""Editors searching pages in the Wagtail admin get the same Chinese segmentation."""

import pytest
from django.urls import reverse
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def test_admin_page_search_finds_words_inside_titles(
    admin_client_demo, django_assert_max_num_queries
):
    url = reverse("wagtailadmin_pages:search")
    with django_assert_max_num_queries(40):
        response = admin_client_demo.get(url, {"q": "党建"})
    assert response.status_code == 200
    assert "智能制造党建共建圈" in response.content.decode()
    response = admin_client_demo.get(url, {"q": "幸福里"})
    html = response.content.decode()
    assert "幸福里社区大党委" in html and "光明社区大党委" not in html


def test_wagtail_search_api_uses_segmented_index(demo):
    assert [p.title for p in Page.objects.search("党委")]  # inside 社区大党委
    assert "幸福里社区大党委" in [p.title for p in Page.objects.autocomplete("幸福里")]
    assert list(Page.objects.search("党校")) == []  # shares 党 with 党建 but is another word
