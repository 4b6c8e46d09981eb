"""Keeping the index in step with the pages: index, remove, rebuild; and deferring
Wagtail's per-save index work (``defer_indexing``) for commands that save a lot."""

import logging
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.db.models.signals import post_save
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from modelsearch.index import get_indexed_models
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import update_reference_index_on_save

from .backends import get_backend
from .documents import archive_types, build_documents, indexed_content_types
from .models import SearchDocument
from .store import store


def index_pages(pages):
    """(Re)index ``pages``: documents for the live public ones, removal for the rest."""
    pages = list(pages)
    if not pages or not archive_types():
        return 0
    documents = build_documents(pages)
    page_ids = [page.pk for page in pages]
    with transaction.atomic():
        stale = list(
            SearchDocument.objects.filter(page_id__in=page_ids).values_list("id", flat=True)
        )
        SearchDocument.objects.filter(id__in=stale).delete()
        store(documents)
    # Organisation names decide how organisation pages rank (service.names_organisation).
    from .service import ORGANISATION_CACHE_KEY
    from .suggest import forget_vocabulary

    cache.delete(ORGANISATION_CACHE_KEY)
    forget_vocabulary()
    # Removal from a mirror (Elasticsearch) follows the rows' post_delete signal.
    backend = get_backend()
    transaction.on_commit(lambda: backend.mirror(documents))
    return len(documents)


def index_subtree(page):
    """Reindex ``page`` and the archive pages below it (after move, unpublish, privacy)."""
    types = indexed_content_types()
    if not types:
        return 0
    pages = Page.objects.descendant_of(page, inclusive=True).filter(content_type__in=types)
    return index_pages(pages.specific().iterator(chunk_size=500))


def archive_pages():
    """Every page of an archive type, live or not (the index decides what to keep)."""
    types = indexed_content_types()
    return (
        Page.objects.filter(content_type__in=types).order_by("path")
        if types
        else Page.objects.none()
    )


def rebuild(progress=None, chunk=500):
    """Empty and refill the index from the pages; ``progress(done, total)`` after each chunk."""
    pages = archive_pages()
    total = pages.count()
    with transaction.atomic():
        SearchDocument.objects.all().delete()
    done = indexed = 0
    ids = list(pages.values_list("pk", flat=True))
    for start in range(0, total, chunk):
        batch = Page.objects.filter(pk__in=ids[start : start + chunk]).specific()
        indexed += index_pages(batch)
        done = min(total, start + chunk)
        if progress:
            progress(done, total)
    get_backend().rebuild(progress)
    return indexed


logger = logging.getLogger(__name__)
# What the saves inside defer_indexing() touched; None outside it. Process-wide, like
# the receivers it stands in for.
_pending = None


@contextmanager
def defer_indexing():
    """Index each object saved inside the block once, when the block ends, instead of
    at every save.

    Every save of a page or record updates Wagtail's reference index and its admin
    search index at once, and a committee member saved is its whole page indexed
    again; on SQLite the search backend also renormalises the titles in the index
    each time. For ``load_demo`` on an empty database that was 3,100 of its 7,800
    queries. Inside the block Wagtail's two save receivers are disconnected and a
    save only notes what it touched; on leaving, every noted object that still exists
    is indexed once, from the database. Deletes are cleaned up at once, as always.
    The archive search is not involved: it follows publishing, not saves.

    Use it inside the transaction that makes the saves, so that an error rolls both
    back: the catch-up runs only when the block ends without one. The receivers are
    disconnected process-wide, so this is for management commands, not web requests.
    A block entered while another is open joins it.
    """
    global _pending
    if _pending is not None:
        yield
        return
    search_models = [
        model
        for model in get_indexed_models()
        if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    reference_models = [
        model
        for model in ReferenceIndex.tracked_models
        if post_save.disconnect(update_reference_index_on_save, sender=model)
    ]
    pending = _pending = {
        "search_models": set(search_models),
        "reference_models": set(reference_models),
        "search": {},
        "references": {},
    }
    post_save.connect(_note_save, dispatch_uid="search_defer_indexing")
    try:
        yield
    finally:
        post_save.disconnect(dispatch_uid="search_defer_indexing")
        for model in search_models:
            post_save.connect(post_save_signal_handler, sender=model)
        for model in reference_models:
            post_save.connect(update_reference_index_on_save, sender=model)
        _pending = None
    if pending["search"] or pending["references"]:
        with transaction.atomic():
            _catch_up_search(pending["search"])
            _catch_up_references(pending["references"])


def _base_model(instance):
    """The model holding the primary key (Page for every page type)."""
    model = instance._meta.concrete_model
    return ([model, *model._meta.get_parent_list()])[-1]


def _reference_owner(instance):
    """The object whose references a save of ``instance`` changes: a child object
    (a committee member ...) is indexed under its parent, as Wagtail's task does."""
    while instance is not None:
        keys = [field for field in instance._meta.get_fields() if isinstance(field, ParentalKey)]
        if not keys:
            return instance
        instance = getattr(instance, keys[0].name)
    return None


def _note_save(sender, instance, raw=False, **kwargs):
    pending = _pending
    if pending is None or raw:
        return  # raw: loading fixtures, which Wagtail's receivers skip too
    if sender in pending["search_models"]:
        pending["search"].setdefault(sender, set()).add(instance.pk)
    if sender in pending["reference_models"]:
        owner = _reference_owner(instance)
        if owner is not None:
            pending["references"][(_base_model(owner), owner.pk)] = type(owner)


def _catch_up_search(saved):
    """Wagtail's search index for the saved objects, one bulk call per model (what its
    per-save task does for one object: the indexed instance, if still indexed)."""
    by_model = {}
    for model, pks in saved.items():
        for obj in model._default_manager.filter(pk__in=pks).order_by("pk"):
            indexed = obj.get_indexed_instance()
            if indexed is not None:
                by_model.setdefault(type(indexed), []).append(indexed)
    for model, found in by_model.items():
        keep = set(
            model.get_indexed_objects()
            .filter(pk__in=[obj.pk for obj in found])
            .values_list("pk", flat=True)
        )
        found = [obj for obj in found if obj.pk in keep]
        for backend in get_search_backends(with_auto_update=True):
            try:
                backend.add_bulk(model, found)
            except Exception:
                if not backend.catch_indexing_errors:
                    raise
                logger.exception("Could not index %d %s objects", len(found), model.__name__)


def _catch_up_references(owners):
    """Wagtail's reference index for the saved objects (or their parents), each once,
    as its most specific type (pages through ``specific()``)."""
    by_model = {}
    for (base, pk), model in owners.items():
        by_model.setdefault(Page if base is Page else model, set()).add(pk)
    found = []
    for model, pks in by_model.items():
        objects = model._default_manager.filter(pk__in=pks).order_by("pk")
        found += objects.specific() if model is Page else objects
    by_type = {}
    for obj in found:
        if ReferenceIndex.is_indexed(type(obj)):
            by_type.setdefault(type(obj), []).append(obj)
    for model, objects in by_type.items():
        # Their child objects (committee seats, tags ...) in one query per relation
        # rather than one per object.
        names = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
        prefetch_related_objects(objects, *names)
        for obj in objects:
            ReferenceIndex.create_or_update_for_object(obj)
