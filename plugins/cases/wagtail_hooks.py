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


@hooks.register("gongjian_organisation_links")
def organisation_link(request, organisation):
    """典型案例: the cases of the organisation, in its district's case index; above a
    district (the city), the archive search filtered to cases of the organisation."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from gongjian_site.navigation import OrganisationLink, is_child_of, nearest_index

    from .models import CaseIndexPage, CasePage

    if not CasePage.objects.live().descendant_of(organisation).exists():
        return None
    index = nearest_index(CaseIndexPage.objects.live(), organisation)
    if index is None:
        url = reverse("search") + "?" + urlencode({"type": "case", "unit": organisation.title})
    else:
        url = index.get_url(request)
        if not is_child_of(index, organisation):
            url += f"?organisation={organisation.pk}"
    return OrganisationLink(key="cases", title=_("典型案例"), url=url, order=20)


@hooks.register("register_page_header_buttons")
def new_case_button(page, user, view_name, next_url=None):
    """新建典型案例 on the case index: a case lives under its organisation, not under the
    index, so Wagtail offers no add button here; this one opens the editor's own."""
    from .models import CaseIndexPage, CasePage

    if page.specific_class is CaseIndexPage:
        from wagtail.admin.widgets import Button

        from gongjian_site.newpages import new_page_url

        yield Button(_("新建典型案例"), new_page_url(CasePage), icon_name="plus", priority=1)


@hooks.register("after_create_page")
def attach_workflow_to_new_index(request, page):
    """A case index made in the admin gets 典型案例发布 like those setup made."""
    from .models import CaseIndexPage
    from .setup import attach_case_workflow

    if page.specific_class is CaseIndexPage:
        attach_case_workflow([page])
