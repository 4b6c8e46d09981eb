import re

import pytest

from plugins.activities.models import ActivityPage
from plugins.cases.models import CasePage
from plugins.orgs.models import CommunityPage

pytestmark = pytest.mark.django_db


def meta(html, prop):
    match = re.search(rf'<meta (?:property|name)="{prop}" content="([^"]*)"', html)
    return match and match.group(1)


def canonical(html):
    return re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)


def test_every_page_has_a_share_card_and_canonical(client, demo):
    pages = [
        CommunityPage.objects.get(slug="xingfuli"),
        ActivityPage.objects.live().first(),
        CasePage.objects.live().first(),
    ]
    for page in pages:
        html = client.get(page.url + "?activities_page=2").content.decode()
        assert meta(html, "og:title") == (page.seo_title or page.title)
        assert meta(html, "og:description")
        assert meta(html, "og:image").startswith("http")
        assert canonical(html) == "http://testserver" + page.url  # no query string
        assert meta(html, "og:url") == "http://testserver" + page.url


def test_description_and_image_come_from_the_page(client, demo):
    case = CasePage.objects.live().exclude(lead="").first()
    html = client.get(case.url).content.decode()
    assert meta(html, "og:description") == case.lead[:120] or meta(
        html, "og:description"
    ).startswith(case.lead[:100])
    case.search_description = "一句话说明本案例"
    case.save_revision().publish()
    html = client.get(case.url).content.decode()
    assert meta(html, "og:description") == "一句话说明本案例"
    assert meta(html, "description") == "一句话说明本案例"


def test_cover_image_rendition_is_the_share_image(client, demo):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="封面", file=get_test_image_file())
    page = CommunityPage.objects.get(slug="xingfuli")
    page.cover_image = image
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "fill-1200x630" in meta(html, "og:image")
    assert meta(html, "og:image:alt") == "封面"


def test_default_share_image_and_search_canonical(client, demo):
    html = client.get("/search/?q=党建").content.decode()
    assert meta(html, "og:image").endswith("/static/default/img/share.png")
    assert canonical(html).endswith("/search/")
