"""The memory of one import run: what it has read of the database (each parent's last
child path and child slugs, the source ids of every page type, tags, the recycle bin),
what it has queued to write per batch, and its options.

The importers ask it instead of the database, so a new record (the common case) costs
no query to look up; after a batch rolls back, ``reset_run`` forgets it all, so the
next batch starts from the database as it is.
"""

import threading
from contextlib import contextmanager

from django.apps import apps

from .records import RecordSkipped

_run = threading.local()


@contextmanager
def import_run(restore_deleted=False, resume=False):
    """Per-import memory (each parent's last child and child slugs, looked-up records)
    that ``add_page`` and the importers use to save queries; gone when the import ends.

    ``restore_deleted``: a record whose page is in the recycle bin brings it back
    (otherwise it is skipped); ``resume``: a record imported by an earlier run is left
    as it is (to finish an interrupted import quickly)."""
    _run.options = {"restore_deleted": restore_deleted, "resume": resume}
    reset_run()
    try:
        yield
    finally:
        for name in ("tree", "cache", "pending", "options"):
            if hasattr(_run, name):
                delattr(_run, name)


def reset_run():
    """Forget what the run remembers of the database: after a batch rolled back, the
    remembered child paths, source ids and tags may name rows that no longer exist."""
    _run.tree = {}
    _run.cache = {}
    _run.pending = {"logs": [], "numchild": [], "tagged": []}


def current():
    """The state of the import running in this thread, or None outside imports: its
    ``tree`` (parent pk -> [last child path, child slugs]), ``cache`` (looked-up rows)
    and ``pending`` (bookkeeping written per batch)."""
    return _run if hasattr(_run, "pending") else None


def forget_tree():
    """Forget every remembered child list (after a subtree moved or a savepoint that
    may have read one rolled back)."""
    if hasattr(_run, "tree"):
        _run.tree = {}


def run_option(name):
    """An option of the current import (False outside imports)."""
    return getattr(_run, "options", {}).get(name, False)


def begin_record():
    """Start importing one record: returns the mark to roll its bookkeeping back to
    (``pending_rollback``) and forgets which pages the previous record restored."""
    _run.restored = []
    return pending_mark()


def restored_in_record():
    """Ids of the binned pages the current record brought back (``--restore-deleted``)."""
    return getattr(_run, "restored", [])


def pending_mark():
    """Where the not yet written bookkeeping stands (to drop a rolled-back record's)."""
    pending = getattr(_run, "pending", None)
    return None if pending is None else {key: len(rows) for key, rows in pending.items()}


def pending_rollback(mark):
    """Forget the bookkeeping queued since ``mark``: its record's savepoint rolled back."""
    pending = getattr(_run, "pending", None)
    if pending is None or mark is None:
        return
    # a tag made inside the rolled-back savepoint is gone: look tags up afresh
    for key in [key for key in _run.cache if isinstance(key, tuple) and key[0] == "tags"]:
        del _run.cache[key]
    for key, rows in pending.items():
        if key == "numchild":
            # the parents' in-memory counts were raised with them
            for parent in rows[mark[key] :]:
                parent.numchild -= 1
        del rows[mark[key] :]


def run_cache():
    """A dict that lives as long as the current import (a fresh one outside imports)."""
    return getattr(_run, "cache", {})


def forget_children(parent):
    """Drop what the import remembers of ``parent``'s children (after a move into it)."""
    getattr(_run, "tree", {}).pop(parent.pk, None)


def bin_path():
    """The recycle bin's tree path ("" when the bin plugin is not installed or has no
    bin yet): pages below it were deleted by a user and must not be matched."""
    cache = getattr(_run, "cache", None)
    if cache is not None and "bin_path" in cache:
        return cache["bin_path"]
    path = ""
    if apps.is_installed("plugins.recyclebin"):
        from plugins.recyclebin.models import RecycleBinPage

        path = RecycleBinPage.objects.values_list("path", flat=True).first() or ""
    if cache is not None:
        cache["bin_path"] = path
    return path


def in_bin(page):
    path = bin_path()
    return bool(path) and page.path.startswith(path)


def not_binned(page):
    """``page`` itself when it is not in the recycle bin.

    A binned page was deleted by a user: reviving it silently would put it back live
    while its bin entry stays (and the daily purge would then delete the live page).
    It raises RecordSkipped, or with ``--restore-deleted`` restores the page through
    the bin (entry removed, restore logged) and returns it from its old place.
    """
    if page is None or not in_bin(page):
        return page
    if not run_option("restore_deleted"):
        raise RecordSkipped(
            f"页面“{page.title}”已被删除，在回收站中；导入不会恢复它"
            "（如需恢复，请在回收站中恢复，或使用 --restore-deleted）"
        )
    from plugins.recyclebin.models import BinEntry, RestoreError, restore

    entry = BinEntry.objects.filter(page_id=page.pk).first()
    if entry is None:
        # Deleted with a page above it: restoring would bring back more than this record.
        raise RecordSkipped(
            f"页面“{page.title}”随其上级页面一起在回收站中；请在回收站中恢复其上级页面"
        )
    try:
        restore(entry)
    except RestoreError as exc:
        raise RecordSkipped(f"页面“{page.title}”在回收站中，无法恢复：{exc}") from exc
    # The restore moved a subtree: every remembered child list may be stale.
    forget_tree()
    restored = getattr(_run, "restored", None)
    if restored is not None:
        restored.append(page.pk)
    return type(page).objects.get(pk=page.pk)


def existing_page(model, source_id):
    """The ``model`` page imported earlier with ``source_id``, or None; RecordSkipped
    when that page is in the recycle bin (see ``not_binned``).

    Inside an import, the source ids of a model are read once, so new records (the
    common case) cost no query here."""
    cache = getattr(_run, "cache", None)
    if cache is None:
        return not_binned(model.objects.filter(source_id=source_id).first())
    known = cache.get(("source_ids", model))
    if known is None:
        known = cache[("source_ids", model)] = dict(
            model.objects.exclude(source_id=None).values_list("source_id", "pk")
        )
    if source_id not in known:
        return None
    return not_binned(model.objects.filter(pk=known[source_id]).first())


def imported_before(model, source_id):
    """Whether a ``model`` page with ``source_id`` exists (for ``--resume``)."""
    cache = run_cache()
    known = cache.get(("source_ids", model))
    if known is None:
        known = cache[("source_ids", model)] = dict(
            model.objects.exclude(source_id=None).values_list("source_id", "pk")
        )
    return source_id in known


def remember_page(page):
    """Note a page just imported, for ``existing_page`` later in the same import."""
    cache = getattr(_run, "cache", None)
    if cache is not None and ("source_ids", type(page)) in cache:
        cache[("source_ids", type(page))][page.source_id] = page.pk


def drop_source_ids():
    """Forget the source ids read so far (a failed record may have been what read them)."""
    cache = getattr(_run, "cache", {})
    for key in [key for key in cache if isinstance(key, tuple) and key[0] == "source_ids"]:
        del cache[key]
