"""Registration only: the 共建清单 menu group, the action URLs, the home-page section."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from plugins.access.api import register_record_policies
from plugins.orgs.models import CommunityPage

from .admin import CobuildingGroup
from .policies import POLICIES

# Before the admins are built: each asks its model's policy. The lists' own actions
# (认领, 接受/婉拒 ...) are URLs of their admins (admin.py, record_actions.py).
register_record_policies(*POLICIES)
modeladmin_register(CobuildingGroup)


@hooks.register("register_page_header_buttons")
def board_button(page, user, view_name, next_url=None):
    """On a community page in the admin: its public 三个清单 board."""
    if page.specific_class is CommunityPage:
        from wagtail.admin.widgets import Button

        from .public import board_url

        yield Button(_("三个清单公示"), board_url(page), icon_name="list-ul", priority=85)


@hooks.register("gongjian_home_sections")
def three_lists_section(request, home_page):
    """Contract 1: open needs and recent projects of the site's communities (order 30)."""
    try:
        from gongjian_site.home import HomeSection
    except ImportError:
        return None
    from .public import home_section_context

    context = home_section_context(home_page)
    if not (context["needs"] or context["projects"]):
        return None
    return HomeSection(key="three_lists", title="三个清单", order=30,
                       template="cobuilding/home_section.html", context=context)  # fmt: skip


@hooks.register("register_evaluation_metrics")
def evaluation_metrics():
    """Needs and claims by status, projects' progress: charts on the evaluation dashboard."""
    from django.apps import apps

    if not apps.is_installed("plugins.evaluation"):
        return []
    from .metrics import metrics

    return metrics()


@hooks.register("register_evaluation_sources")
def evaluation_sources():
    """履诺评诺 and 认领完成: sources of the yearly co-building score."""
    from django.apps import apps

    if not apps.is_installed("plugins.evaluation"):
        return []
    from .metrics import sources

    return sources()


@hooks.register("gongjian_organisation_links")
def organisation_link(request, organisation):
    """三个清单公示: a community's board (no query: every community has one)."""
    from gongjian_site.navigation import OrganisationLink

    from .public import board_url

    if not isinstance(organisation, CommunityPage):
        return None
    return OrganisationLink(
        key="board", title=_("三个清单公示"), url=board_url(organisation), order=40
    )


@hooks.register("gongjian_sitemap_urls")
def sitemap_urls(request, site_root):
    """Every community's board and its public needs form."""
    from django.urls import reverse

    from gongjian_site.navigation import SitemapUrl

    slugs = (
        CommunityPage.objects.live().public().descendant_of(site_root)
        .values_list("slug", flat=True)
    )  # fmt: skip
    return [
        SitemapUrl(reverse(name, args=[slug]))
        for slug in slugs
        for name in ("cobuilding_public:board", "cobuilding_public:submit_need")
    ]


@hooks.register("register_document_template")
def agreement_template():
    """共驻共建协议书 in 设置 › 文书模板."""
    from .export import TEMPLATE_KIND

    return TEMPLATE_KIND


@hooks.register("register_ledgers")
def ledgers():
    """需求清单 and 资源清单 import from Excel (从Excel导入 on their lists)."""
    from .ledgers import LEDGERS

    return LEDGERS
