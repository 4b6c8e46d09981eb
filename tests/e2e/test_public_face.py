"""The public face in a real browser: axe-core finds no serious or critical violation on
the pages residents use most, in the ordinary display and in 大字/高对比; screenshots of
the footer and the large-text mode on a phone go to test-artefacts/e2e/."""

import pytest
from wagtail.models import Site

from gongjian_site.models import FilingSettings
from plugins.cases.models import CasePage
from plugins.orgs.models import CommunityPage

from .conftest import ARTEFACTS, shot

pytestmark = pytest.mark.django_db(transaction=True)

SERIOUS = {"serious", "critical"}


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def public_pages():
    community = CommunityPage.objects.get(slug="xingfuli")
    case = CasePage.objects.live().first()
    return {
        "home": "/",
        "community": community.url,
        "case": case.url,
        "search": "/search/?q=%E5%8F%8C%E6%8A%A5%E5%88%B0",
        "registration form": f"/baodao/{community.slug}/survey/",
        "needs form": f"/gongshi/{community.slug}/submit/",
    }


@pytest.mark.parametrize("mode", ["", "large-contrast"])
def test_axe_finds_no_serious_violation(demo_live, browser_context, mode):
    if mode:
        browser_context.add_cookies([{"name": "gj_display", "value": mode, "url": demo_live.url}])
    page = browser_context.new_page()
    found = {}
    for name, path in public_pages().items():
        page.goto(demo_live.url + path)
        violations = serious_violations(page)
        if violations:
            found[name] = violations
    assert not found, found


def test_footer_and_large_text_on_a_phone(demo_live, browser_context):
    filing = FilingSettings.for_site(Site.objects.get(is_default_site=True))
    filing.host = "中共江安市委组织部"
    filing.organiser = "江安市党群服务中心"
    filing.icp_number = "浙ICP备12345678号-1"
    filing.police_number = "浙公网安备33010602012345号"
    filing.site_code = "3301000001"
    filing.contact = "联系电话：0571-12345678"
    filing.save()

    page = browser_context.new_page()
    community = CommunityPage.objects.get(slug="xingfuli")
    page.goto(demo_live.url + community.url)
    footer = page.locator("footer .filing")
    assert "浙ICP备12345678号-1" in footer.inner_text()
    footer.screenshot(path=str(ARTEFACTS / "filing-footer.png"))

    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("link", name="大字").click()
    page.wait_for_url(f"**{community.url}")
    large = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert large >= normal * 1.2
    # Nothing overflows sideways at 390 px in large text.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "large-text-390x844")

    page.get_by_role("link", name="高对比").click()
    page.wait_for_url(f"**{community.url}")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    shot(page, "high-contrast-390x844")


def test_search_facets_fold_on_a_phone_and_open_on_a_wide_screen(demo_live, browser_context):
    page = browser_context.new_page()
    page.goto(demo_live.url + "/search/?q=%E5%85%9A%E5%BB%BA")
    assert page.locator("details.facets").get_attribute("open") is None
    results_top = page.locator(".search-results").bounding_box()["y"]
    assert page.locator("details.facets summary").bounding_box()["y"] < results_top
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    assert page.locator("details.facets").get_attribute("open") is not None


def test_a_qr_poster_prints_on_one_a4_page(demo_live, browser_context):
    community = CommunityPage.objects.get(slug="xingfuli")
    page = browser_context.new_page()
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(f"{demo_live.url}/gongshi/{community.slug}/poster/")
    assert page.locator("svg").count() >= 1
    assert f"/gongshi/{community.slug}/" in page.inner_text("body")
    shot(page, "qr-poster-a4")
    pdf = page.pdf(format="A4", print_background=True)
    import io

    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
