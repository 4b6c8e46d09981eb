"""The cases plugin's profile: a case index under every district."""

from plugins.archive.api import publish_fields
from plugins.orgs.models import DistrictPage

from .models import CaseIndexPage

INDEX_SLUG = "cases"


def setup():
    """Give every district its case index (idempotent)."""
    for district in DistrictPage.objects.all():
        ensure_index(district)


def ensure_index(district):
    index = CaseIndexPage.objects.child_of(district).first()
    if index is None:
        index = CaseIndexPage(title="典型案例", slug=INDEX_SLUG, **publish_fields())
        district.add_child(instance=index)
    return index
