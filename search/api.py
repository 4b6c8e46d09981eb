"""What the rest of the project may ask of the archive search when content changes.

Only ``gongjian_site.changes`` calls these: every change of content reaches the index
through it (see that module), so the index and the cached pages never disagree.
"""

from wagtail.models import Page

from plugins.orgs.models import OrganisationPage

from .indexing import index_pages, index_subtree
from .models import SearchDocument


def sync_pages(pages):
    """Bring the documents of ``pages`` in line with them: documents for the live public
    ones, none for the rest. An organisation page whose name or place changed lends them
    to everything below it, so its subtree is redone."""
    simple = []
    for page in pages:
        page = page.specific
        if page.numchild and _subtree_shows_it(page):
            index_subtree(page)
        else:
            simple.append(page)
    index_pages(simple)


def sync_subtree(page):
    """Redo the documents at and below ``page`` (move, privacy, site root)."""
    index_subtree(page)


def forget_subtree(page):
    """Drop the documents at and below ``page``, which is being deleted."""
    SearchDocument.objects.filter(page__path__startswith=page.path).delete()


def _subtree_shows_it(page):
    if not isinstance(page, OrganisationPage):
        return True
    indexed = SearchDocument.objects.filter(page_id=page.pk).values_list("title", "url")
    return list(indexed) != [(page.title, page.get_url() or "")] or not page.live


__all__ = ["forget_subtree", "sync_pages", "sync_subtree"]


# Fields whose difference makes a document stale (the tokens follow from them).
COMPARED = ("doc_type", "title", "body", "date", "unit", "org_path", "url", "tag_list")


def index_drift(chunk=500):
    """Compare the index with what the live public pages would give today.

    Returns ``{"missing": [page ids], "extra": [page ids], "stale": [page ids]}``:
    pages that should be found and are not, documents of pages that should not be
    found (unpublished, private, deleted, no longer an archive type), and documents
    whose text, title, place or date differ from their page's."""
    from .documents import build_documents
    from .indexing import archive_pages

    missing, extra, stale = [], [], []
    ids = list(archive_pages().values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        expected = {doc.page_id: doc for doc in build_documents(Page.objects.filter(pk__in=part))}
        actual = {doc.page_id: doc for doc in SearchDocument.objects.filter(page_id__in=part)}
        missing += sorted(expected.keys() - actual.keys())
        extra += sorted(actual.keys() - expected.keys())
        stale += sorted(
            pk
            for pk in expected.keys() & actual.keys()
            if any(getattr(expected[pk], f) != getattr(actual[pk], f) for f in COMPARED)
        )
    # Documents of pages that are no longer of an archive type (or of no page at all:
    # the benchmark's generated records have none and are left alone).
    extra += list(
        SearchDocument.objects.exclude(page=None)
        .exclude(page_id__in=ids)
        .values_list("page_id", flat=True)
    )
    return {"missing": missing, "extra": extra, "stale": stale}
