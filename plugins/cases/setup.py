"""The cases plugin's profile: a case index under every district, and 典型案例发布 for
every case when the workflows plugin is installed."""

from django.apps import apps

from plugins.archive.api import publish_fields
from plugins.orgs.models import DistrictPage

from .models import CaseIndexPage, CasePage

INDEX_SLUG = "cases"


def setup():
    """Give every district its case index (idempotent)."""
    for district in DistrictPage.objects.all():
        ensure_index(district)
    attach_case_workflow(CaseIndexPage.objects.all())


def attach_case_workflow(indexes):
    """典型案例发布 for every case (by type: a case hangs under its organisation, not its
    index) and for ``indexes``; a no-op without the workflows plugin, which is optional."""
    if not apps.is_installed("plugins.workflows"):
        return
    # Lazy: a plugin left out of INSTALLED_PLUGINS cannot be imported.
    from plugins.workflows.api import attach_to_type, attach_workflow

    attach_to_type("case_publish", CasePage)
    attach_workflow("case_publish", indexes)


def ensure_index(district):
    index = CaseIndexPage.objects.child_of(district).first()
    if index is None:
        index = CaseIndexPage(title="典型案例", slug=INDEX_SLUG, **publish_fields())
        district.add_child(instance=index)
    return index
