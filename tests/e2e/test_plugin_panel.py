"""设置 › 插件管理 in a real browser, reached the way a superuser reaches it: from the
sidebar. Its screenshot (test-artefacts/e2e/plugins-panel.png) is the one the README
shows (docs/screenshots/plugins-panel.png)."""

import re

import pytest

from gongjian_site.plugins import installed_plugins

from .conftest import ARTEFACTS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "gongjian-demo"
DESKTOP = {"width": 1366, "height": 1220}  # the whole table, without scrolling


def test_superuser_opens_the_plugin_panel_from_the_settings_menu(demo_live, browser_context):
    page = browser_context.new_page()
    page.set_viewport_size(DESKTOP)
    page.goto(demo_live.url + "/admin/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator('form button[type="submit"]').first.click()
    page.wait_for_url(re.compile(r"/admin/$"))

    page.locator("#wagtail-sidebar").get_by_role("button", name="设置").click()
    page.locator("#wagtail-sidebar").get_by_role("link", name="插件管理").click()
    page.wait_for_url(re.compile(r"/admin/plugins/$"))

    rows = page.locator("table[data-plugin-panel] tbody tr")
    labels = [rows.nth(i).get_attribute("data-plugin") for i in range(rows.count())]
    # Every installed plugin, dependencies first, as setup_site runs them.
    assert labels == [config.label for config in installed_plugins()]
    orgs = page.locator('tr[data-plugin="orgs"]')
    assert "组织架构" in orgs.inner_text() and "已载入" in orgs.inner_text()
    evaluation = page.locator('tr[data-plugin="evaluation"]').inner_text()
    assert "考核评价" in evaluation and "活动记录" in evaluation  # its dependencies by name
    assert page.get_by_role("heading", name="插件管理").is_visible()

    page.screenshot(path=str(ARTEFACTS / "plugins-panel.png"), full_page=True)
