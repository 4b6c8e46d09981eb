"""The meetings plugin's profile: a 会议 index under every committee, with the
会议纪要公示 workflow attached when the workflows plugin is installed."""

from django.apps import apps

from gongjian_site.pages import publish_fields
from plugins.orgs.models import CommunityPage, StreetPage

from .models import MeetingIndexPage

INDEX_SLUG = "meetings"
INDEX_TITLE = "会议"


def setup():
    """Give every community and street a meeting index and attach the workflow (idempotent)."""
    indexes = [ensure_index(page) for page in committees()]
    attach_minutes_workflow(indexes)
    return indexes


def committees():
    """Organisation pages whose committee meets (社区大党委, 街道综合党委)."""
    return [*StreetPage.objects.order_by("path"), *CommunityPage.objects.order_by("path")]


def ensure_index(organisation):
    """The organisation's meeting index, created (published) when missing."""
    index = MeetingIndexPage.objects.child_of(organisation).first()
    if index is None:
        slug = INDEX_SLUG
        if organisation.get_children().filter(slug=slug).exists():
            slug = f"{INDEX_SLUG}-{organisation.pk}"
        index = MeetingIndexPage(title=INDEX_TITLE, slug=slug, **published())
        organisation.add_child(instance=index)
    return index


def attach_minutes_workflow(indexes):
    """Publishing minutes goes through 会议纪要公示 (contract 2); a no-op without workflows."""
    if not indexes or not apps.is_installed("plugins.workflows"):
        return None
    # Lazy: workflows is optional here, and a left-out plugin's modules cannot be loaded.
    from plugins.workflows.api import attach_workflow

    return attach_workflow("minutes_publish", indexes)


#: Field values that make a page created in code live (the core's, shared by every plugin).
published = publish_fields
