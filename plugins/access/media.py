"""Per-unit media collections and the image/document permission policy that uses them.

Stock Wagtail grants media rights per collection to groups only. Each resident
unit and community gets its own collection (``UnitCollection``); whoever edits the
page through a local role or an appointment in term may upload to, choose from and
edit that collection, and everyone with a page right may choose from the shared
public collection. The policy only adds to Wagtail's group collection permissions.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db.models import Q
from wagtail.models import Collection
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from .roles import ADMIN_CODENAMES

#: Parent of the per-unit collections.
UNITS_COLLECTION = "单位图片与文档"
MEDIA_CODENAMES = {
    "full": ("add_image", "change_image", "choose_image",
             "add_document", "change_document", "choose_document"),
    "choose": ("choose_image", "choose_document"),
}  # fmt: skip


@dataclass(frozen=True)
class UserCollectionPermission:
    """Quacks like ``GroupCollectionPermission`` (collection, permission)."""

    collection: Collection
    permission: Permission

    @property
    def collection_id(self):
        return self.collection.pk


def ensure_unit_collections():
    """Give every resident unit and community page its own collection (idempotent)."""
    from plugins.orgs.models import CommunityPage, ResidentUnitPage

    from .models import UnitCollection

    root = Collection.get_first_root_node()
    parent = root.get_children().filter(name=UNITS_COLLECTION).first()
    if parent is None:
        parent = root.add_child(name=UNITS_COLLECTION)
    mapped = set(UnitCollection.objects.values_list("page_id", flat=True))
    created = 0
    for model in (CommunityPage, ResidentUnitPage):
        for page in model.objects.exclude(pk__in=mapped).order_by("path"):
            collection = parent.add_child(name=page.title)
            UnitCollection.objects.create(page=page, collection=collection)
            created += 1
    return created


class UnitMediaPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's collection policy for images or documents, plus unit collections."""

    # Not Wagtail's shared "_collection_permission_cache": that one may be filled first
    # by the collection-management policy, without our entries.
    permission_cache_name = "_gongjian_media_permission_cache"

    def get_all_permissions_for_user(self, user):
        group_permissions = super().get_all_permissions_for_user(user)
        if not user.is_active or user.is_anonymous or user.is_superuser:
            return group_permissions
        return [*group_permissions, *self.get_unit_permissions(user)]

    def get_unit_permissions(self, user):
        from wagtail.models import Page
        from wagtail.permissions import policy_registry

        from plugins.orgs.setup import PUBLIC_COLLECTION

        from .models import UnitCollection

        page_policy = policy_registry.get_by_type(Page)
        roots = {
            perm.page.path
            for perm in page_policy.get_cached_permissions_for_user(user)
            if getattr(perm, "source", None) and perm.permission.codename in ADMIN_CODENAMES
        }
        if not roots:
            return []
        q = Q()
        for path in roots:
            q |= Q(page__path__startswith=path)
        collections = [
            unit.collection
            for unit in UnitCollection.objects.filter(q).select_related("collection")
        ]
        public = Collection.objects.filter(name=PUBLIC_COLLECTION, depth=2).first()
        permissions = {
            perm.codename: perm
            for perm in Permission.objects.filter(codename__in=MEDIA_CODENAMES["full"])
        }
        entries = [
            UserCollectionPermission(collection, permissions[codename])
            for collection in collections
            for codename in MEDIA_CODENAMES["full"]
        ]
        if public is not None:
            entries += [
                UserCollectionPermission(public, permissions[codename])
                for codename in MEDIA_CODENAMES["choose"]
            ]
        return entries


def register_media_policies():
    """Replace Wagtail's image and document policies (they register in their ready())."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import register_permission_policy

    register_permission_policy(
        get_image_model(),
        UnitMediaPermissionPolicy(
            get_image_model(), auth_model="wagtailimages.Image", owner_field_name="uploaded_by_user"
        ),
    )
    register_permission_policy(
        get_document_model(),
        UnitMediaPermissionPolicy(
            get_document_model(),
            auth_model="wagtaildocs.Document",
            owner_field_name="uploaded_by_user",
        ),
    )
