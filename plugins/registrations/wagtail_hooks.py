"""Registration only: the 报到登记 menu group, the Excel export and change-request URLs,
and the change-request actions in the records' history."""

from django.urls import path
from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from plugins.access.api import register_record_policies
from plugins.orgs.models import CommunityPage

from .admin import RegistrationsGroup, export_table
from .history import register_change_log_actions
from .moderation import change_detail, change_list
from .policies import POLICIES

# Before the admins are built: each asks its model's policy.
register_record_policies(*POLICIES)
modeladmin_register(RegistrationsGroup)


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path(
            "registrations/export/<slug:table_key>/",
            export_table,
            name="registrations_export",
        ),
        path("registrations/changes/", change_list, name="registrations_changes"),
        path(
            "registrations/changes/<slug:table_key>/<int:pk>/",
            change_detail,
            name="registrations_change",
        ),
    ]


hooks.register("register_log_actions", register_change_log_actions)


@hooks.register("register_evaluation_metrics")
def evaluation_metrics():
    """Registrations per month: a chart on the evaluation dashboard and public summary."""
    from django.apps import apps

    if not apps.is_installed("plugins.evaluation"):
        return []
    from .metrics import metrics

    return metrics()


@hooks.register("gongjian_sitemap_urls")
def sitemap_urls(request, site_root):
    """Every community's 报到 index and its three public forms."""
    from django.urls import reverse

    from gongjian_site.navigation import SitemapUrl

    from .tables import TABLES

    entries = []
    slugs = (
        CommunityPage.objects.live().public().descendant_of(site_root)
        .values_list("slug", flat=True)
    )  # fmt: skip
    for slug in slugs:
        entries.append(
            SitemapUrl(reverse("registrations:index", args=[slug]), changefreq="monthly")
        )
        entries += [
            SitemapUrl(reverse("registrations:form", args=[slug, key]), changefreq="monthly")
            for key in TABLES
        ]
    return entries


@hooks.register("register_ledgers")
def ledgers():
    """The unit registry and member check-ins import from Excel (从Excel导入 on their lists)."""
    from .ledgers import LEDGERS

    return LEDGERS
