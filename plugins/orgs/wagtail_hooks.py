from django.conf import settings
from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .models import OrganisationPage


def _warn_about_composition(request, page):
    if getattr(settings, "ORGS_STRICT_COMPOSITION", False):
        return  # the form already refused the save
    page = page.specific
    if isinstance(page, OrganisationPage):
        for finding in page.composition_warnings():
            messages.warning(request, finding)


hooks.register("after_create_page", _warn_about_composition)
hooks.register("after_edit_page", _warn_about_composition)


@hooks.register("register_archive_types")
def archive_types():
    """Organisation pages are searchable too: residents look up their community."""
    return [(OrganisationPage, "organisation", _("组织机构"))]
