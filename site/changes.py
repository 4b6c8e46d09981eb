"""Change propagation: the one way a change of content reaches search and cached pages.

Every way content changes (publish, unpublish, delete and the recycle bin, restore,
move, privacy, scheduled go-live and expiry, revert, imports, bulk actions, backup
restore, and the records that pages display) ends in Django or Wagtail signals, and the
receivers in ``signals.py`` hand what changed to this module. Nothing else calls the
search index or the page cache for content.

For each change it does two things:

- **Search**: the archive search documents of the pages concerned are rebuilt in the
  same transaction as the change (they are rows of the same database, so they commit or
  roll back with it, and a reader never sees the page without its document or the
  reverse); the Elasticsearch mirror, which is outside the transaction, is written after
  the commit (``search.api``).
- **Cached pages**: every cached response records what it displayed (``pagecache``:
  its own page, the pages above it, the tables it read while rendering), and the change
  renews the matching tags: once at once, and once more after the transaction commits,
  so a page rendered from the old data in between is not kept either.

``batch()`` gathers the changes of a long command (the demo, an import) and handles
them once at its end.
"""

import threading
from contextlib import contextmanager

from django.db import transaction
from wagtail.models import Page

from . import pagecache

_local = threading.local()

# Records whose rows never change what a public page says (bookkeeping, caches of
# derived data): their saves renew nothing.
QUIET_TABLES = {
    "django_session",
    "django_admin_log",
    "wagtailcore_revision",
    "wagtailcore_pagelogentry",
    "wagtailcore_modellogentry",
    "wagtailcore_referenceindex",
    "wagtailcore_workflowstate",
    "wagtailcore_taskstate",
    "wagtailcore_pagesubscription",
    "wagtailcore_comment",
    "wagtailcore_commentreply",
    "wagtailimages_rendition",
    "wagtailsearch_indexentry",
    "search_searchdocument",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "django_content_type",
    "auth_permission",
}

# Model -> function giving the pages that show one of its rows (see shown_on).
_SHOWN_ON = {}
_INDEXED_IN = {}


def page_changed(page):
    """``page`` was unpublished or saved whole."""
    _local.last_page = _fingerprint(page)
    _search_sync([page])
    _renew(pagecache.page_tags(page))


def page_published(page):
    """``page`` was published (scheduled go-live, revert and bulk publish included).
    Publishing saves the page whole first: when that save already told it, once is
    enough."""
    if getattr(_local, "last_page", None) != _fingerprint(page):
        page_changed(page)


def _fingerprint(page):
    return (page.pk, page.live, page.latest_revision_id, page.last_published_at, page.path)


def pages_changed(pages):
    """Several pages changed at once (made or updated in code: an import, the demo)."""
    pages = list(pages)
    _search_sync(pages)
    tags = set()
    for page in pages:
        tags |= pagecache.page_tags(page)
    _renew(tags)


def subtree_changed(page):
    """Everything at and below ``page`` changed (its privacy, its place, its name as
    the pages below it show it)."""
    _search_sync_subtree(page)
    _renew(pagecache.page_tags(page))


def page_leaving(page):
    """``page`` is about to be deleted or moved away: forget what showed it at its
    current place (its subtree's responses, the pages above it, listings of its type)."""
    _renew(pagecache.page_tags(page))


def page_removed(page):
    """``page`` (and its subtree) is being deleted: its documents go now."""
    from search import api as search_api

    search_api.forget_subtree(page)
    page_leaving(page)


def record_changed(instance):
    """A row of a model that is not a page was saved or deleted."""
    model = type(instance)
    indexed_by = _INDEXED_IN.get(model)
    if indexed_by is not None:
        # Its values are part of these pages' search documents (an activity kind's name):
        # they are reindexed, and their cached pages cleared, like any changed page.
        pages_changed(page for page in indexed_by(instance) if page is not None)
    pages_of = _SHOWN_ON.get(model)
    if pages_of is None:
        _renew({pagecache.table_tag(model._meta.db_table)})
        return
    tags = set()
    for page in pages_of(instance):
        if page is not None:
            tags |= pagecache.page_tags(page, listings=False)
    _renew(tags)


def everything_changed():
    """Sites, themes, view restrictions: forget every cached page."""
    _renew({pagecache.GLOBAL_TAG})


def shown_on(model, pages_of):
    """Declare which pages show a row of ``model`` (a plugin calls it from its
    AppConfig.ready()): a change of a row then clears those pages and the pages above
    them only, instead of every page that reads the model's table (an honour on one
    unit's page leaves the other units' pages cached)."""
    _SHOWN_ON[model] = pages_of


def indexed_in(model, pages_of):
    """Declare that a row of ``model`` is part of the search documents of the pages
    ``pages_of(row)`` returns (a plugin calls it from its AppConfig.ready()): renaming an
    activity kind then reindexes the activities of that kind, so a search for the new
    name finds them at once."""
    _INDEXED_IN[model] = pages_of


@contextmanager
def batch():
    """Gather the changes made inside and handle them once at the end (the demo, an
    import: thousands of saves, one reindex and one cache renewal)."""
    outer = getattr(_local, "batch", None)
    if outer is not None:
        yield outer
        return
    _local.batch = state = {"pages": {}, "tags": set()}
    try:
        yield state
    finally:
        _local.batch = None
    if state["pages"]:
        pages = Page.objects.filter(pk__in=list(state["pages"])).specific()
        from search import api as search_api

        search_api.sync_pages(pages)
    _renew(state["tags"])


def _search_sync(pages):
    state = getattr(_local, "batch", None)
    if state is not None:
        state["pages"].update((page.pk, None) for page in pages)
        return
    from search import api as search_api

    search_api.sync_pages(pages)


def _search_sync_subtree(page):
    state = getattr(_local, "batch", None)
    if state is not None:
        for pk in Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True):
            state["pages"][pk] = None
        return
    from search import api as search_api

    search_api.sync_subtree(page)


def _renew(tags):
    if not tags:
        return
    state = getattr(_local, "batch", None)
    if state is not None:
        state["tags"] |= tags
        return
    pagecache.renew(tags)
    # Again once the change is visible to other connections: a page rendered from the
    # old rows between the first renewal and the commit is not kept either. One
    # callback a transaction, however many rows it changes.
    connection = transaction.get_connection()
    pending = getattr(_local, "after_commit", None)
    if pending is None or not any(entry[1] is _after_commit for entry in connection.run_on_commit):
        pending = _local.after_commit = set()
        if connection.in_atomic_block:
            transaction.on_commit(_after_commit, robust=True)
        else:
            _local.after_commit = None  # autocommit: the renewal above came after it
            return
    pending |= tags


def _after_commit():
    tags, _local.after_commit = getattr(_local, "after_commit", None), None
    if tags:
        pagecache.renew(tags)
