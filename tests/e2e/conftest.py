"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium).

The fixture installs the `chromium` package with apt-get when it is missing and this
process is root with apt-get at hand; anywhere else the tests are skipped with the
reason. Each test gets a fresh user-data dir. Screenshots go to test-artefacts/e2e/.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "e2e"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}


def ensure_chromium():
    """The path of Chromium, installing Debian's package when we can; else skip."""
    if CHROMIUM.exists():
        return CHROMIUM
    if shutil.which("apt-get") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, check=False)
        if CHROMIUM.exists():
            return CHROMIUM
        pytest.skip("browser tests skipped: `apt-get install chromium` did not install it")
    pytest.skip(
        "browser tests skipped: /usr/bin/chromium is missing and cannot be installed here "
        "(needs root and apt-get; run `sudo apt-get install chromium`)"
    )


@pytest.fixture(scope="session")
def chromium_path():
    try:
        import playwright  # noqa: F401
    except ImportError:
        pytest.skip("browser tests skipped: playwright is not installed (pip install -e '.[dev]')")
    return ensure_chromium()


@pytest.fixture
def demo_live(transactional_db, demo, live_server, settings):
    """The demo, committed in the database the live server reads; the page cache on (so
    the tests also see it cleared on publish)."""
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield live_server
    cache.clear()


@pytest.fixture
def browser_context(chromium_path, tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, which makes Django refuse
    # ORM calls from the test body; the test's own queries are safe (one thread).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "user-data"),
            executable_path=str(chromium_path),
            args=LAUNCH_ARGS,
            headless=True,
            viewport=PHONE,
            locale="zh-CN",
        )
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()


def shot(page, name):
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
