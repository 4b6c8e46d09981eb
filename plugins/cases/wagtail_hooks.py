"""Cases are pages: they appear in the page explorer; only their search registration here."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_archive_types")
def archive_types():
    """Searchable in the archive search (search/documents.py)."""
    from .models import CasePage

    return [(CasePage, "case", _("典型案例"))]


@hooks.register("gongjian_home_sections")
def home_section(request, home_page):
    """Featured cases (首页展示) on the home page, first of the sections."""
    try:
        from gongjian_site.home import HomeSection
    except ImportError:
        return None
    from .templatetags.cases_tags import featured_cases

    cases = featured_cases()["cases"]
    if not cases:
        return None
    return HomeSection(
        key="featured_cases",
        title=_("典型案例"),
        template="cases/includes/featured_cases.html",
        context={"cases": cases},
        order=10,
    )
