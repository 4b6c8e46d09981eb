"""A resident on a phone, and a unit's update going from member_a to secretary_a, in a
real browser against the live server."""

import re

import pytest

from plugins.orgs.models import CommunityPage, ResidentUnitPage

from .conftest import shot

PASSWORD = "gongjian-demo"
# Committed, so the live server's requests see the demo (tests/baselines.py restores it
# after the flush that ends each test).
pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_reads_on_a_phone(demo_live, browser_context):
    community = CommunityPage.objects.get(slug="xingfuli")
    trail = [p.title for p in community.get_ancestors().filter(depth__gt=2)] + [community.title]
    page = browser_context.new_page()

    page.goto(demo_live.url + "/")
    assert page.locator("h1").count() == 1
    assert page.locator('form[role="search"]').count() >= 1
    # nothing wider than the phone: the layout reflows
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "01-home")

    # home -> district -> street -> 幸福里, by the links a resident taps
    for title in trail:
        page.get_by_role("link", name=title, exact=True).first.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == title
    assert "xingfuli" in page.url
    shot(page, "02-community")

    page.locator(".recent-activities .activity-list a").first.click()
    page.wait_for_load_state()
    assert page.locator("article.activity h1").count() == 1
    for img in page.locator("main img").all():
        assert img.get_attribute("alt")
    shot(page, "03-activity")

    page.get_by_role("link", name="档案检索").first.click()
    page.locator("#search-q").fill("双报到")
    page.locator("#search-q").press("Enter")
    page.wait_for_load_state()
    marks = page.locator(".search-results mark")
    assert marks.count() > 0
    assert any("报到" in text for text in marks.all_inner_texts())
    shot(page, "04-search")


def login(page, base, username):
    page.goto(base + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator('form button[type="submit"]').first.click()
    page.wait_for_url(re.compile(r"/admin/$"))


def footer_action(page, selector):
    """Click an action of the page editor's footer menu, opening its dropdown first."""
    button = page.locator(selector).first
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    button.click()


def test_member_submits_and_secretary_approves(demo_live, browser_context):
    unit = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    new_address = "江安市幸福路 1 号（门诊楼东侧，浏览器测试）"
    page = browser_context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})  # the admin, on a desk

    # the public page, cached before the change
    page.goto(demo_live.url + unit.url)
    assert new_address not in page.content()

    login(page, demo_live.url, "member_a")
    page.goto(f"{demo_live.url}/admin/pages/{unit.pk}/edit/")
    page.locator("#id_address").fill(new_address)
    shot(page, "05-member-edits")
    footer_action(page, 'button[name="action-submit"]')
    page.wait_for_load_state()
    shot(page, "06-member-submitted")
    unit.refresh_from_db()
    assert unit.address != new_address  # not live yet: waiting for review
    assert unit.current_workflow_state is not None

    browser_context.clear_cookies()
    login(page, demo_live.url, "secretary_a")
    shot(page, "07-secretary-dashboard")
    page.goto(f"{demo_live.url}/admin/pages/{unit.pk}/edit/")
    footer_action(page, 'button[data-workflow-action-name="approve"]')
    # Approving may ask for an optional comment in a dialog first.
    dialog = page.locator(".w-dialog [type='submit'], .modal [type='submit']")
    try:
        dialog.first.wait_for(state="visible", timeout=3_000)
        dialog.first.click()
    except Exception:  # no dialog: the action was taken directly
        pass
    page.wait_for_load_state()
    shot(page, "08-secretary-approved")

    unit.refresh_from_db()
    assert unit.address == new_address and unit.live

    browser_context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo_live.url + unit.url)
    assert new_address in page.content()  # live, and the cached copy was cleared
    shot(page, "09-public-updated")
