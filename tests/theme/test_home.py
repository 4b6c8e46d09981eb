import re

import pytest
from wagtail import hooks

from gongjian_site.home import HomeSection, home_sections
from plugins.cases.models import CasePage
from plugins.orgs.models import CityPage

pytestmark = pytest.mark.django_db


def test_home_renders_sections_in_order_and_a_search_box(client, demo):
    html = client.get("/").content.decode()
    assert 'role="search"' in html and 'name="q"' in html
    cases = html.index('class="home-section home-section--featured_cases"')
    activities = html.index('class="home-section home-section--latest_activities"')
    assert cases < activities
    for title in CasePage.objects.filter(featured=True).values_list("title", flat=True):
        assert title in html
    # headings in order: one h1, no h3 before the first h2
    levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_a_plugin_section_is_rendered(client, demo, rf):
    def extra(request, home_page):
        return HomeSection(
            key="extra", title="额外板块", template="tests_extra.html", context={}, order=15
        )

    with hooks.register_temporarily("gongjian_home_sections", extra):
        sections = home_sections(rf.get("/"), CityPage.objects.get())
        assert [s.order for s in sections] == sorted(s.order for s in sections)
        assert "extra" in [s.key for s in sections]
