"""The activities plugin's profile: the default kinds and an activity index per city."""

from plugins.archive.api import publish_fields
from plugins.orgs.models import CityPage

from .models import DEFAULT_KINDS, ActivityIndexPage, ActivityKind

INDEX_SLUG = "activities"


def setup():
    """Seed the activity kinds and give every city an activity index (idempotent)."""
    for order, name in enumerate(DEFAULT_KINDS):
        ActivityKind.objects.get_or_create(name=name, defaults={"sort_order": order})
    for city in CityPage.objects.all():
        ensure_index(city)


def ensure_index(organisation):
    """The organisation's activity index, created (published) when missing."""
    index = ActivityIndexPage.objects.child_of(organisation).first()
    if index is None:
        index = ActivityIndexPage(title="活动记录", slug=INDEX_SLUG, **publish_fields())
        organisation.add_child(instance=index)
    return index
