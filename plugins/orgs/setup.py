"""The orgs plugin's profile: what every installation needs, created idempotently."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection

#: Everyone who works in the admin belongs here: it grants admin access and
#: nothing else; the access plugin adds object-level rights on top.
STAFF_GROUP = "共建用户"
#: Shared images (logos, stock photos) every editor may choose from.
PUBLIC_COLLECTION = "公共图片"


#: The profile version (gongjian_site.plugins): 2 gave pages made in code their first
#: revision.
PROFILE_VERSION = 2


def _first_revisions():
    """2: pages made in code before this release get the revision publishing would
    have left, so editors can compare a draft with the original and restore it."""
    from gongjian_site.pages import pages_without_live_revision, record_live_revisions

    record_live_revisions(pages_without_live_revision())


UPGRADES = {2: _first_revisions}


def setup():
    """Create the staff group and the shared public collection."""
    group, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    group.permissions.add(access_admin)

    root = Collection.get_first_root_node()
    if not root.get_children().filter(name=PUBLIC_COLLECTION).exists():
        root.add_child(name=PUBLIC_COLLECTION)
