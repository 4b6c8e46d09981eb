"""Keeping the index in step with the pages: index, remove, rebuild."""

from django.db import transaction
from wagtail.models import Page

from .backends import get_backend
from .documents import archive_types, build_documents, indexed_content_types
from .models import SearchDocument


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
        SearchDocument.objects.bulk_create(documents)
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
