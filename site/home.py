"""The home page's sections, contributed by plugins (contract 1 in HELPERS.md).

A plugin registers, in its wagtail_hooks.py::

    @hooks.register("gongjian_home_sections")
    def section(request, home_page):
        try:
            from gongjian_site.home import HomeSection
        except ImportError:
            return None
        return HomeSection(key="cases", title="典型案例", template="cases/includes/…",
                           context={...}, order=10)

and the home page (the CityPage a site roots at) renders every section returned, in
``order`` (featured cases 10, latest activities 20, three lists 30, upcoming meetings 40),
each section's template with its ``context`` plus ``request``, ``page`` and ``section``.
A hook may return None (nothing to show) or a list of sections.
"""

import logging
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail import hooks

HOOK = "gongjian_home_sections"
logger = logging.getLogger("gongjian.home")


@dataclass
class HomeSection:
    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100

    def render(self, request, home_page):
        context = {**self.context, "section": self, "page": home_page, "request": request}
        return mark_safe(render_to_string(self.template, context, request=request))


def collect(hook, *args):
    """Everything the functions registered for ``hook`` return for ``args``: each may
    return None, one item or a list (the home sections, the 栏目 links, the sitemap)."""
    found = []
    for fn in hooks.get_hooks(hook):
        result = fn(*args)
        if result is None:
            continue
        found.extend(result if isinstance(result, list | tuple) else [result])
    return found


def home_sections(request, home_page):
    """The sections the installed plugins offer for ``home_page``, in order."""
    sections = collect(HOOK, request, home_page)
    return sorted(sections, key=lambda section: (section.order, section.key))


def rendered_home_sections(request, home_page):
    """[(section, html)] for the home template."""
    return [
        (section, section.render(request, home_page))
        for section in home_sections(request, home_page)
    ]
