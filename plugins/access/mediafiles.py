"""Where the files of private images and documents lie, and the view that serves them
(issue 15; Wagtail's own issue 3880: images ignore collection privacy).

Stock Wagtail writes every original and rendition under MEDIA_ROOT, which the web server
serves to anyone; collection privacy only guards the document serve view. Here:

- **Location follows the collection.** A file of an image or document in a collection
  under a view restriction (the unit collections, any collection an administrator made
  private) is named under ``private/``, which ``gongjian_site.storage`` keeps outside
  MEDIA_ROOT; every other file stays where Wagtail puts it, with its direct URL. The
  name is chosen when the file is written: images and renditions through their
  ``get_upload_to`` (Wagtail's documented naming hook; renditions are also written by
  ``bulk_create``, which sends no signal), documents in ``pre_save``. When an image or
  document changes collection, or a collection gains or loses its restriction, its
  files move (``sync_media_files``): copied to the new name at once, the old copy
  deleted when the transaction commits, so a rollback leaves the rows and files as
  they were.
- **Serving decides per request.** A private name's URL is ``/private-media/<name>``
  (``serve_private_media``): the same decision as a document's (``media.check_media_access``:
  the unit's people and reviewers, anyone once a live public page uses the image, a
  collection password or group restriction through Wagtail's own check), so a unit's
  cover photo on its public page still shows, and stops showing when the page goes.

Moving a collection to another parent in the admin sends no signal; ``setup_site``
(and this plugin's migration 0005) put every file where its collection says.
"""

import mimetypes

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q, Subquery
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe
from wagtail.models import Collection, CollectionViewRestriction

from gongjian_site.storage import is_private_name, private_name, public_name

#: Seconds a browser may keep a private image; never a shared cache.
PRIVATE_MAX_AGE = 600


def collection_is_private(collection_id):
    """Whether a view restriction covers this collection (on it or an ancestor), in one
    query: a restriction whose collection's path begins the collection's path."""
    if collection_id is None:
        return False
    target = Collection.objects.filter(pk=collection_id).values("path")[:1]
    return (
        CollectionViewRestriction.objects.annotate(target_path=Subquery(target))
        .filter(target_path__startswith=F("collection__path"))
        .exists()
    )


# --- Naming files when they are written --------------------------------------------------


def _image_of(obj):
    return getattr(obj, "image", obj)


def _located(original):
    """Wrap a model's ``get_upload_to`` so files of private collections get private names."""

    def get_upload_to(self, filename):
        name = original(self, filename)
        if collection_is_private(_image_of(self).collection_id):
            return private_name(name)
        return name

    get_upload_to.__doc__ = original.__doc__
    get_upload_to.gongjian_private_media = True
    return get_upload_to


def install_private_media():
    """Name image and rendition files by their collection's privacy (idempotent).

    Without a custom image model (swapping one in under a live site moves every image
    row), the stock models' ``get_upload_to`` is the naming hook Wagtail offers; it is
    wrapped, not replaced, so Wagtail's own naming (ASCII, length) still applies."""
    from wagtail.images import get_image_model

    Image = get_image_model()
    for model in (Image, Image.get_rendition_model()):
        if not getattr(model.get_upload_to, "gongjian_private_media", False):
            model.get_upload_to = _located(model.get_upload_to)


def name_private_document(sender, instance, **kwargs):
    """``pre_save`` of documents: a new file of a private collection goes to ``private/``."""
    file = instance.file
    if not file or getattr(file, "_committed", True):
        return
    if not collection_is_private(instance.collection_id):
        return
    field = file.field
    name = private_name(field.generate_filename(instance, file.name))
    file.name = file.storage.save(name, file.file, max_length=field.max_length)
    file._committed = True


# --- Moving files when privacy changes ----------------------------------------------------


def _move(model, pk, old_name, make_private):
    """Copy the file to its new name and point the row at it; delete the old copy once
    the transaction commits. Returns the new name (None if the file is missing)."""
    new_name = private_name(old_name) if make_private else public_name(old_name)
    try:
        with default_storage.open(old_name, "rb") as content:
            saved = default_storage.save(
                new_name, content, max_length=model._meta.get_field("file").max_length
            )
    except FileNotFoundError:
        return None
    model._default_manager.filter(pk=pk).update(file=saved)
    transaction.on_commit(lambda: default_storage.delete(old_name))
    return saved


def sync_media_files(images=None, documents=None):
    """Move the files of ``images`` and ``documents`` (querysets; all when None) whose
    location differs from their collection's privacy. Returns how many files moved."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    Image = get_image_model()
    models = (Image, Image.get_rendition_model(), get_document_model())
    moved, images_changed = move_misplaced_files(
        models, Collection, CollectionViewRestriction, images, documents
    )
    # Wagtail caches rendition objects, file names included, per image.
    for rendition in models[1].objects.filter(image_id__in=images_changed).select_related("image"):
        rendition.purge_from_cache()
    return moved


def move_misplaced_files(models, Collection, Restriction, images=None, documents=None):
    """``sync_media_files`` on the given models (migration 0005 passes its historical
    ones). Returns (files moved, ids of images whose renditions moved)."""
    Image, Rendition, Document = models
    roots = Restriction.objects.values_list("collection__path", flat=True)
    private_q = Q(pk__in=[])
    for path in roots:
        private_q |= Q(path__startswith=path)
    private = set(Collection.objects.filter(private_q).values_list("pk", flat=True))
    images = Image.objects.all() if images is None else images
    documents = Document.objects.all() if documents is None else documents
    moved, wanted_of, changed = 0, {}, set()
    for pk, collection_id, name in images.values_list("pk", "collection_id", "file"):
        wanted_of[pk] = wanted = collection_id in private
        if is_private_name(name) != wanted and _move(Image, pk, name, wanted):
            moved += 1
    renditions = Rendition.objects.filter(image_id__in=list(wanted_of))
    for pk, image_id, name in renditions.values_list("pk", "image_id", "file"):
        if is_private_name(name) != wanted_of[image_id]:
            moved += bool(_move(Rendition, pk, name, wanted_of[image_id]))
            changed.add(image_id)
    for pk, collection_id, name in documents.values_list("pk", "collection_id", "file"):
        wanted = collection_id in private
        if is_private_name(name) != wanted and _move(Document, pk, name, wanted):
            moved += 1
    return moved, changed


def sync_saved_media(sender, instance, created=False, **kwargs):
    """``post_save`` of images and documents: after a change of collection."""
    wanted = collection_is_private(instance.collection_id)
    stale = is_private_name(instance.file.name) != wanted
    is_image = hasattr(instance, "renditions")
    if is_image and not created and not stale:
        names = instance.renditions.values_list("file", flat=True)
        stale = any(is_private_name(name) != wanted for name in names)
    if not stale:
        return
    queryset = type(instance)._default_manager.filter(pk=instance.pk)
    if is_image:
        sync_media_files(images=queryset, documents=_none("documents"))
    else:
        sync_media_files(images=_none("images"), documents=queryset)
    instance.refresh_from_db(fields=["file"])


def _none(kind):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    model = get_image_model() if kind == "images" else get_document_model()
    return model.objects.none()


def sync_restricted_collection(sender, instance, **kwargs):
    """``post_save`` / ``post_delete`` of a collection view restriction."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    collection = Collection.objects.filter(pk=instance.collection_id).first()
    if collection is None:
        return
    subtree = Collection.objects.filter(path__startswith=collection.path)
    sync_media_files(
        images=get_image_model().objects.filter(collection__in=subtree),
        documents=get_document_model().objects.filter(collection__in=subtree),
    )


def sync_after_bulk_action(request, action_type, objects, action_class_instance):
    """Wagtail's "add to collection" bulk action updates rows without saving them."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    if action_type != "add_to_collection" or not objects:
        return
    pks = [obj.pk for obj in objects]
    model = type(objects[0])
    if model is get_image_model():
        sync_media_files(images=model.objects.filter(pk__in=pks), documents=_none("documents"))
    elif model is get_document_model():
        sync_media_files(images=_none("images"), documents=model.objects.filter(pk__in=pks))


def connect_signals():
    from django.db.models.signals import post_delete, post_save, pre_save
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    Document = get_document_model()
    pre_save.connect(name_private_document, sender=Document, dispatch_uid="gj_name_document")
    for model in (get_image_model(), Document):
        uid = f"gj_sync_{model._meta.label}"
        post_save.connect(sync_saved_media, sender=model, dispatch_uid=uid)
    for signal in (post_save, post_delete):
        signal.connect(
            sync_restricted_collection,
            sender=CollectionViewRestriction,
            dispatch_uid=f"gj_sync_restriction_{signal is post_save}",
        )


# --- Serving ---------------------------------------------------------------------------------


def _image_for(stored):
    """The image whose original or rendition is stored under ``stored``, or None."""
    from wagtail.images import get_image_model

    Image = get_image_model()
    name = public_name(stored)
    if name.startswith("original_images/"):
        return Image.objects.select_related("collection").filter(file=stored).first()
    if name.startswith("images/"):
        rendition = (
            Image.get_rendition_model()
            .objects.select_related("image__collection")
            .filter(file=stored)
            .first()
        )
        return rendition.image if rendition else None
    return None  # documents are served by /documents/<id>/<name> with the same check


@require_safe
def serve_private_media(request, name):
    """``/private-media/<name>``: a private image file, after its collection's check."""
    if "\x00" in name or len(name) > 255:
        raise Http404
    stored = private_name(name)
    image = _image_for(stored)
    if image is None:
        raise Http404
    from .media import check_media_access

    refused = check_media_access(image, request)
    if refused is not None:
        return refused
    try:
        content = default_storage.open(stored, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(stored)[0] or "application/octet-stream"
    response = FileResponse(content, content_type=content_type)
    # Browsers may keep it a while; shared caches never (it depends on who asks).
    response["Cache-Control"] = f"private, max-age={PRIVATE_MAX_AGE}"
    response["Vary"] = "Cookie"
    return response
