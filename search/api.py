"""What the rest of the project may ask of the archive search when content changes.

Only ``gongjian_site.changes`` calls these: every change of content reaches the index
through it (see that module), so the index and the cached pages never disagree.
"""

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
