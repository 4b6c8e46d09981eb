"""大屏 in a real browser at 1920x1080 and 1280x800: ECharts draws every panel under the public
Content-Security-Policy, the layout fits the screen, and the figures refresh by
themselves when data change (the refresh period shortened to two seconds)."""

import time

import pytest
from django.db import OperationalError, transaction

from gongjian_site import clock
from plugins.activities.models import ActivityPage
from plugins.evaluation import screen as screen_module
from plugins.orgs.models import StreetPage


def _publish_copy(activity):
    """Publish a copy of ``activity``, retrying while the live server's reads hold
    SQLite's shared-cache table lock (the screen polls every two seconds here)."""
    for attempt in range(20):
        try:
            with transaction.atomic():
                copy = activity.copy(keep_live=False, update_attrs={"slug": "screen-refresh"})
                copy.save_revision().publish()
            return
        except OperationalError:
            if attempt == 19:
                raise
            time.sleep(0.1)


CSP_WATCH = """
document.addEventListener("securitypolicyviolation", function (event) {
    (window.__csp = window.__csp || []).push(event.violatedDirective + " " + event.blockedURI);
});
"""


# A wall screen, and a WXGA projector.
@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 800)])
def test_screen_draws_fits_and_refreshes(
    transactional_db, demo, live_server, monkeypatch, width, height
):
    from tests.e2e.conftest import ARTEFACTS, LAUNCH_ARGS, ensure_chromium

    pytest.importorskip("playwright", reason="playwright is not installed")
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setattr(screen_module, "REFRESH_SECONDS", 2)
    year = clock.today().year - 1
    street = StreetPage.objects.get(slug="xinhua")
    activity = ActivityPage.objects.live().descendant_of(street).filter(date__year=year).first()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(ensure_chromium()), args=LAUNCH_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.add_init_script(CSP_WATCH)
            errors, requests = [], []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(f"{live_server.url}/evaluation/screen/{street.pk}/?year={year}")
            panels = page.locator("[data-chart]").count()
            assert panels >= 5
            # Locator waits, not wait_for_function: that evaluates a string, which this
            # page's CSP (no 'unsafe-eval') rightly refuses.
            for n in range(panels):
                page.locator("[data-chart]").nth(n).locator("canvas").first.wait_for()
            page.wait_for_timeout(1000)  # the charts' opening animation
            ARTEFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTEFACTS / f"screen-{width}x{height}.png"))
            # Everything on one screen: no scrolling; big numbers, charts of a usable size.
            assert page.evaluate("document.documentElement.scrollHeight <= innerHeight + 1")
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")
            number = page.locator('[data-figure="activities"]')
            size = number.evaluate("e => parseFloat(getComputedStyle(e.parentNode).fontSize)")
            assert size >= 0.04 * width, size  # 4.2vw
            label = page.locator(".figure__label").first
            assert label.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16
            for box in page.locator("[data-chart]").all():
                assert box.bounding_box()["height"] >= 0.2 * height
            before = int(number.text_content())

            # A new published activity in the street: the screen shows it within seconds.
            _publish_copy(activity)
            expect(number).to_have_text(str(before + 1), timeout=15_000)
            assert page.evaluate("window.__csp || []") == []
            assert errors == []
            assert all(url.startswith(live_server.url) for url in requests), requests
        finally:
            browser.close()
