"""Per-unit media collections, the image/document permission policy that uses them, and
what of the media is public.

Stock Wagtail grants media rights per collection to groups only. Each resident
unit and community gets its own collection (``UnitCollection``); whoever edits the
page through a local role or an appointment in term may upload to, choose from and
edit that collection, and everyone with a page right may choose from the shared
public collection. The policy only adds to Wagtail's group collection permissions.

What is public: the unit collections hold a unit's or committee's internal files (述职
attachments, 履诺 evidence, drafts), so their parent collection carries a Wagtail
collection view restriction (one restriction covers every unit collection, present and
future). An image or document there is public only once a live public page uses it
(Wagtail's reference index says which): a unit page's photo, a PDF linked from its
text. Everything else (the shared 公共图片 collection, the root) is public as in stock
Wagtail. ``is_public_media`` is that decision; the public API endpoints
(``PublicImagesAPIViewSet`` ...) and document serving (``serve_document_response``) ask
it. In the admin, ``user_can_view_media`` / ``media_for_user`` decide from the policy
(choose or change on the collection), for the choosers, the media API and the sweep.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction, Page
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from plugins.orgs.api import PUBLIC_COLLECTION

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
    """Give every resident unit and community page its own collection (idempotent), all
    under one private parent (see ``make_private``)."""
    from plugins.orgs.models import CommunityPage, ResidentUnitPage

    from .models import UnitCollection

    root = Collection.get_first_root_node()
    parent = root.get_children().filter(name=UNITS_COLLECTION).first()
    if parent is None:
        parent = root.add_child(name=UNITS_COLLECTION)
    make_private(parent)
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
        units = list(UnitCollection.objects.filter(q).select_related("collection", "page"))
        collections = [unit.collection for unit in units]
        public = Collection.objects.filter(name=PUBLIC_COLLECTION, depth=2).first()
        # Editors of a street, district or city (publicity staff) have no unit collection
        # of their own: they upload to 公共图片 as well. Unit people only choose from it.
        above_units = any(
            unit.page.path.startswith(root) and unit.page.path != root
            for root in roots - {unit.page.path for unit in units}
            for unit in units
        )
        public_codenames = MEDIA_CODENAMES["full" if above_units else "choose"]
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
                for codename in public_codenames
            ]
        return entries


def default_upload_collection(user, collections):
    """Where an upload goes unless the uploader picks another of ``collections`` (those
    they may add to): their own unit's or community's collection (the topmost page they
    edit that has one), else 公共图片. None leaves Wagtail's first choice."""
    from wagtail.models import Page
    from wagtail.permissions import policy_registry

    from .models import UnitCollection

    by_id = {collection.pk: collection for collection in collections}
    if not by_id:
        return None
    editable = policy_registry.get_by_type(Page).instances_user_has_any_permission_for(
        user, {"change"}
    )
    own = (
        UnitCollection.objects.filter(collection_id__in=by_id, page__in=editable)
        .order_by("page__depth", "page__path")
        .values_list("collection_id", "page__path")
        .first()
    )
    if own is not None:
        collection_id, path = own
        # Not theirs when they edit a page above it (a district's publicity staff).
        above = [path[:end] for end in range(Page.steplen, len(path), Page.steplen)]
        if not editable.filter(path__in=above).exists():
            return by_id[collection_id]
    return next((c for c in collections if c.name == PUBLIC_COLLECTION and c.depth == 2), None)


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


# --- What is public -----------------------------------------------------------------


def make_private(collection):
    """Put a login restriction on ``collection`` (and so its descendants) unless it has
    one: Wagtail's API and admin then treat it as private; who may read its files when
    logged in is ``user_can_view_media``'s decision (``serve_document_response``)."""
    if not CollectionViewRestriction.objects.filter(collection=collection).exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=BaseViewRestriction.LOGIN
        )


def private_collection_ids():
    """Ids of the collections under any view restriction (one query each)."""
    roots = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
    q = Q(pk__in=[])
    for path in roots:
        q |= Q(path__startswith=path)
    return Collection.objects.filter(q).values_list("pk", flat=True)


def used_on_public_pages(model):
    """Ids (a subquery) of ``model`` instances that a live page without view
    restrictions uses, by Wagtail's reference index (rich text, image fields, inlines)."""
    from django.db.models.functions import Cast
    from wagtail.models import ReferenceIndex

    public_page_ids = (
        Page.objects.live()
        .public()
        .annotate(key=Cast("pk", ReferenceIndex._meta.get_field("object_id")))
        .values("key")  # fmt: skip
    )
    return (
        ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(model),
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=public_page_ids,
        )
        .annotate(target=Cast("to_object_id", model._meta.pk))
        .values("target")
    )


def public_media(queryset):
    """The images or documents of ``queryset`` that anyone may see: outside the private
    collections, or used on a live public page."""
    return queryset.filter(
        ~Q(collection__in=private_collection_ids()) | Q(pk__in=used_on_public_pages(queryset.model))
    )


def is_public_media(obj):
    return public_media(type(obj)._default_manager.filter(pk=obj.pk)).exists()


def user_can_view_media(user, obj):
    """Whether ``user`` may see ``obj`` (an image or document) in the admin: choose or
    change permission on its collection (or ownership), as the media policy decides."""
    from wagtail.permissions import policy_registry

    if user is None or not user.is_active:
        return False
    policy = policy_registry.get_by_type(type(obj))
    return policy.user_has_any_permission_for_instance(user, {"choose", "change"}, obj)


def media_for_user(user, queryset):
    """The images or documents of ``queryset`` that ``user`` may see in the admin."""
    from wagtail.permissions import policy_registry

    if not user.is_active:
        return queryset.none()
    policy = policy_registry.get_by_type(queryset.model)
    visible = policy.instances_user_has_any_permission_for(user, {"choose", "change"})
    return queryset.filter(pk__in=visible.values("pk"))


def check_media_access(obj, request):
    """None when ``request`` may see ``obj`` (an image or document), else the answer:
    the login page for anonymous visitors, 403 for other users, or Wagtail's password
    form. Under a login restriction (the unit collections) those who may see it in the
    admin may, and anyone once a live public page uses it; password and group
    restrictions an administrator set keep Wagtail's own handling. Documents
    (``serve_document_response``) and private image files
    (``plugins.access.mediafiles.serve_private_media``) ask this one decision."""
    from wagtail.documents.wagtail_hooks import check_view_restrictions
    from wagtail.wagtail_hooks import require_wagtail_login

    restrictions = list(obj.collection.get_view_restrictions())
    if not restrictions:
        return None
    internal = any(r.restriction_type == BaseViewRestriction.LOGIN for r in restrictions)
    user = request.user
    # The unit's own people first: their answer needs no look at the public pages.
    if internal:
        own = user.is_authenticated and user_can_view_media(user, obj)
        if not own and not _used_publicly(obj):
            if not user.is_authenticated:
                return require_wagtail_login(next=request.get_full_path())
            raise PermissionDenied
    if any(r.restriction_type != BaseViewRestriction.LOGIN for r in restrictions):
        # Wagtail's check reads only ``collection``; its password form returns here.
        return check_view_restrictions(obj, request)
    return None


def serve_document_response(document, request):
    """``before_serve_document``: ``check_media_access`` for documents."""
    return check_media_access(document, request)


def _used_publicly(obj):
    return (
        type(obj)
        ._default_manager.filter(pk=obj.pk, pk__in=used_on_public_pages(type(obj)))
        .exists()
    )


def replace_document_privacy_check():
    """Make ``serve_document_response`` the document privacy check instead of Wagtail's.

    Wagtail's check (``before_serve_document``) asks only the restriction: a login
    restriction lets any logged-in user read another unit's files and keeps anonymous
    visitors from a public page's linked PDF. Ours decides, and hands the restrictions
    it does not own back to Wagtail's check. Wagtail registers its hook when its
    wagtail_hooks module is imported (after this plugin's, in app order), so this runs
    when the admin URLs are built, after every hook module (as the media policies do)."""
    from wagtail import hooks
    from wagtail.documents.wagtail_hooks import check_view_restrictions

    registered = hooks._hooks.get("before_serve_document", [])
    if not any(fn is check_view_restrictions for fn, _order in registered):
        if any(fn is serve_document_response for fn, _order in registered):
            return
        raise RuntimeError("Wagtail's document privacy check is not where it was expected")
    hooks._hooks["before_serve_document"] = [
        (serve_document_response if fn is check_view_restrictions else fn, order)
        for fn, order in registered
    ]


# --- The API endpoints --------------------------------------------------------------


class PublicMediaAPIMixin:
    """Wagtail API v2 image/document endpoint listing public media only (``public_media``),
    for every visitor: the public API is no back door to a unit's internal files. Stock
    Wagtail would hide restricted collections from anonymous visitors only, and also
    the photos public pages use from them."""

    def get_queryset(self):
        return public_media(self.model.objects.all().order_by("id"))


class AdminMediaAPIMixin:
    """The admin media API (``/admin/api/main/images/`` ...) lists what the user may
    choose or change, as the admin choosers do (``media_for_user``)."""

    def get_queryset(self):
        return media_for_user(self.request.user, self.model.objects.all().order_by("id"))


def register_admin_media_api(router):
    """``construct_admin_api`` hook: replace Wagtail's image and document endpoints."""
    from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
    from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

    router.register_endpoint(
        "images", type("ImagesAdminAPIViewSet", (AdminMediaAPIMixin, ImagesAdminAPIViewSet), {})
    )
    router.register_endpoint(
        "documents",
        type("DocumentsAdminAPIViewSet", (AdminMediaAPIMixin, DocumentsAdminAPIViewSet), {}),
    )
