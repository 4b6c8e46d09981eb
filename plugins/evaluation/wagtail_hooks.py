"""Registration only: the 考核评价 menu, admin URLs, the modeladmin registries."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from plugins.access.api import record_policy, register_record_policies
from plugins.orgs.models import CityPage, DistrictPage, StreetPage

from . import admin_views
from .admin import ADMINS
from .monthly_export import monthly_export
from .policies import POLICIES

# Before the admins are built: each asks its model's policy.
register_record_policies(*POLICIES)
registered = []
for admin_class in ADMINS:
    instance = admin_class()
    instance.register_with_wagtail()
    registered.append(instance)


class DashboardMenuItem(MenuItem):
    """统计看板: for evaluation managers and whoever holds rights on an organisation."""

    def is_shown(self, request):
        from .policies import is_manager
        from .scope import viewer_roots

        user = request.user
        return user.is_active and (is_manager(user) or bool(viewer_roots(user)))


class MonthlyMenuItem(MenuItem):
    """月报表: for whoever the monthly reports' policy lets see one (streets, districts)."""

    def is_shown(self, request):
        from .models import MonthlyReport

        return record_policy(MonthlyReport).user_has_permission(request.user, "view")


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path(
            "evaluation/",
            include((admin_views.urlpatterns, "evaluation_admin"), namespace="evaluation_admin"),
        ),
        path("evaluation/monthly-export/", monthly_export, name="evaluation_monthly_export"),
    ]


@hooks.register("register_admin_menu_item")
def register_menu():
    items = [
        DashboardMenuItem(
            _("统计看板"), reverse("evaluation_admin:dashboard"), icon_name="view", order=10
        ),
        MonthlyMenuItem(
            _("月报表"), reverse("evaluation_admin:monthly"), icon_name="date", order=40
        ),
    ]
    for order, instance in enumerate(registered, start=1):
        item = instance.get_menu_item(order=order * 10 + 5)
        items.append(item)
    return SubmenuMenuItem(_("考核评价"), Menu(items=items), icon_name="pick", order=320)


@hooks.register("gongjian_organisation_links")
def organisation_link(request, organisation):
    """统计: the public statistics, from the city, district and street pages; 大屏: the
    district's or street's own screen."""
    from gongjian_site.navigation import OrganisationLink

    if not isinstance(organisation, CityPage | DistrictPage | StreetPage):
        return None
    links = [
        OrganisationLink(
            key="statistics", title=_("统计"), url=reverse("evaluation:statistics"), order=50
        )
    ]
    if isinstance(organisation, DistrictPage | StreetPage):
        url = reverse("evaluation:screen", args=[organisation.pk])
        links.append(OrganisationLink(key="screen", title=_("大屏"), url=url, order=55))
    return links


@hooks.register("gongjian_sitemap_urls")
def sitemap_urls(request, site_root):
    """The public statistics page and the 大屏 of each public district and street."""
    from gongjian_site.navigation import SitemapUrl

    from .screen import screen_pages

    urls = [SitemapUrl(reverse("evaluation:statistics"), changefreq="weekly")]
    for page in screen_pages(site_root):
        urls.append(SitemapUrl(reverse("evaluation:screen", args=[page.pk]), changefreq="daily"))
    return urls


@hooks.register("register_document_template")
def feedback_letter_template():
    """述职测评结果反馈函 in 设置 › 文书模板."""
    from .letters import TEMPLATE_KIND

    return TEMPLATE_KIND
