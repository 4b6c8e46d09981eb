import re

import pytest
from django.contrib.staticfiles import finders
from wagtail.models import Site

from gongjian_site.models import AppearanceSettings
from gongjian_site.themes import available_themes
from plugins.orgs.models import CommunityPage
from tests.conftest import login

pytestmark = pytest.mark.django_db


def stylesheet(html):
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)


def test_both_themes_exist_and_their_static_files_are_found():
    assert {"default", "simple"} <= set(available_themes())
    for theme in ("default", "simple"):
        assert finders.find(f"{theme}/css/site.css"), theme
        assert finders.find(f"{theme}/img/share.png"), theme


def test_the_site_setting_switches_the_theme_without_restart(client, demo):
    url = CommunityPage.objects.get(slug="xingfuli").url
    html = client.get(url).content.decode()
    assert stylesheet(html) == "/static/default/css/site.css"
    assert "theme-simple" not in html

    site = Site.objects.get(is_default_site=True)
    AppearanceSettings.objects.create(site=site, theme="simple")
    html = client.get(url).content.decode()
    assert stylesheet(html) == "/static/simple/css/site.css"
    assert "theme-simple" in html
    # templates the simple theme does not override come from the default theme
    assert "幸福里" in html and "下级组织" in html

    AppearanceSettings.objects.filter(site=site).update(theme="")
    AppearanceSettings.objects.get(site=site).save()  # through the admin form: a save
    assert stylesheet(client.get(url).content.decode()) == "/static/default/css/site.css"


def test_the_theme_setting_is_the_default(client, demo, settings):
    settings.THEME = "simple"
    html = client.get("/").content.decode()
    assert stylesheet(html) == "/static/simple/css/site.css"


def test_appearance_is_in_the_admin_settings(client, demo):
    login(client, "admin")
    site = Site.objects.get(is_default_site=True)
    response = client.get(f"/admin/settings/gongjian/appearancesettings/{site.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "站点外观" in html and "simple" in html
    response = client.post(
        f"/admin/settings/gongjian/appearancesettings/{site.pk}/", {"theme": "simple"}
    )
    assert response.status_code == 302
    client.logout()
    assert "theme-simple" in client.get("/").content.decode()


def test_public_pages_are_accessible(client, demo):
    """Landmarks, one h1, headings never skip a level, alt text on every image."""
    from plugins.activities.models import ActivityPage
    from plugins.cases.models import CasePage
    from plugins.compilations.models import CompilationPage

    urls = [
        "/",
        CommunityPage.objects.get(slug="xingfuli").url,
        ActivityPage.objects.live().first().url,
        CasePage.objects.live().first().url,
        "/search/?q=双报到",
    ]
    compilation = CompilationPage.objects.live().first()
    if compilation:
        urls.append(compilation.url)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for landmark in ('role="banner"', "<main", 'role="contentinfo"', "<nav"):
            assert landmark in html, (url, landmark)
        levels = [int(n) for n in re.findall(r"<h([1-6])\b", html)]
        assert levels.count(1) == 1 and levels[0] == 1, (url, levels)
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (url, levels)
        for img in re.findall(r"<img\b[^>]*>", html):
            assert re.search(r'\balt="[^"]+"', img), (url, img)
        assert 'name="viewport"' in html
