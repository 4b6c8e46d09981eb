"""Registration only: the 报到登记 menu group and the Excel export URL."""

from django.urls import path
from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from .admin import RegistrationsGroup, export_table

modeladmin_register(RegistrationsGroup)


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path(
            "registrations/export/<slug:table_key>/",
            export_table,
            name="registrations_export",
        )
    ]


@hooks.register("register_evaluation_metrics")
def evaluation_metrics():
    """Registrations per month: a chart on the evaluation dashboard and public summary."""
    from django.apps import apps

    if not apps.is_installed("plugins.evaluation"):
        return []
    from .metrics import metrics

    return metrics()
