"""The bulk page writer: the shared fast path by which every archive importer
(activities, cases, compilations, .jsonl or .docx) creates and updates pages.

Outside an import it is Wagtail's public way (``add_child``, ``tags.set``). Inside one
(``run.import_run``) it writes what ``Page.save`` and its signals would write page by
page in a few statements per batch: child counts, creation log entries, tags,
reference index rows and Wagtail's search index. The private Wagtail internals this
takes are all in ``wagtail_private``.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.db.models import F, prefetch_related_objects
from django.db.models.signals import post_save
from django.utils.text import slugify
from modelcluster.models import get_all_child_relations
from taggit.managers import TaggableManager
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.search.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update

from gongjian_site.pages import publish_fields  # noqa: F401  (the core's, re-exported to importers)

from . import run, wagtail_private


def flush_pending():
    """Write what ``add_page`` queued: the parents' child counts (one UPDATE per parent)
    and the pages' creation log entries (one bulk INSERT). Call inside the transaction
    that saved the pages; ``import_jsonl`` does so before each batch commits."""
    state = run.current()
    if state is None:
        return
    pending = state.pending
    counts = {}
    for parent in pending["numchild"]:
        counts[parent.pk] = counts.get(parent.pk, 0) + 1
    for parent_pk, added in counts.items():
        Page.objects.filter(pk=parent_pk).update(numchild=F("numchild") + added)
    by_model = {}
    for entry in pending["logs"]:
        by_model.setdefault(type(entry), []).append(entry)
    for model, entries in by_model.items():
        model.objects.bulk_create(entries, batch_size=500)
    by_model = {}
    for item in pending["tagged"]:
        by_model.setdefault(type(item), []).append(item)
    for model, items in by_model.items():
        model.objects.bulk_create(items, batch_size=500)
    for rows in pending.values():
        rows.clear()


def add_page(parent, page):
    """Add the new, valid ``page`` as ``parent``'s last child, as ``add_child`` does.

    Inside an import, it remembers each parent's last child path and child slugs and
    saves without Wagtail's full validation, which costs a dozen queries a page; the
    importers validate what they set (lengths, required fields) themselves. Outside
    an import, it is plain ``add_child``.
    """
    state = run.current()
    if state is None:
        parent.add_child(instance=page)
        return page
    tree = state.tree
    depth = parent.depth + 1
    if parent.pk not in tree:
        rows = Page.objects.filter(path__startswith=parent.path, depth=depth).values_list(
            "path", "slug"
        )
        rows = list(rows)
        tree[parent.pk] = [max((path for path, _slug in rows), default=None),
                           {slug for _path, slug in rows}]  # fmt: skip
    last, slugs = tree[parent.pk]
    if last:
        path = wagtail_private.next_sibling_path(last, depth)
    else:
        path = wagtail_private.first_child_path(parent.path, depth)
    base = slugify(page.title, allow_unicode=True)[:200] or "page"
    slug, number = base, 1
    while slug in slugs:
        number += 1
        slug = f"{base}-{number}"
    page.slug, page.path, page.depth, page.numchild = slug, path, depth, 0
    page.draft_title = page.title
    page.locale_id = parent.locale_id
    # The creation log entry and the parent's child count are written per batch by
    # flush_pending (see wagtail_private.creation_log_entry).
    # A new page's child objects are known without asking the database: none, but
    # the tags queued below and any an importer set in memory (saved by save()).
    relations = [relation.get_accessor_name() for relation in get_all_child_relations(page)]
    set_in_memory = wagtail_private.unsaved_relation_names(page)
    with wagtail_private.saving_new_child(page, parent):
        page.save(clean=False, log_action=None)
    entry = wagtail_private.creation_log_entry(page)
    if entry is not None:
        state.pending["logs"].append(entry)
    children = {name: [] for name in relations}
    tags = page.__dict__.pop("_import_tags", None)
    if tags:
        through = page.tags.through
        items = [through(tag=tag, content_object=page) for tag in tags]
        state.pending["tagged"] += items
        children[_tagged_items(page)] = items
    if not set_in_memory.intersection(relations):
        # read by index_pages (through hold_children) once flush_pending saved the tags
        page.__dict__["_import_children"] = children
    state.pending["numchild"].append(parent)
    parent.numchild += 1
    tree[parent.pk][0] = path
    slugs.add(slug)
    return page


def _tagged_items(page):
    """The name of the child relation holding ``page``'s tags (its ``tags`` through model)."""
    return page.tags.through._meta.get_field("content_object").remote_field.get_accessor_name()


def set_tags(page, names):
    """Give ``page`` the tags ``names``, as ``page.tags.set()`` would.

    A page new in this import gets them written by ``flush_pending`` in one bulk
    INSERT per batch, instead of the DELETE and one INSERT per tag that committing
    the page's tag relation costs on each save."""
    tags = tags_for(page, names)
    if page.pk is None and run.current() is not None:
        if tags:
            page._import_tags = tags
        return
    page.tags.set(tags)


def tags_for(page, names):
    """What to pass to ``page.tags.set()`` for ``names``: inside an import, the tag
    objects, each looked up (or made) once per import, as taggit itself would (name
    match, ``get_or_create``), so a record's tags cost no query; the names otherwise."""
    state = run.current()
    if state is None or getattr(settings, "TAGGIT_CASE_INSENSITIVE", False):
        return list(names)
    cache = state.cache
    tag_model = page.tags.through.tag_model()
    known = cache.setdefault(("tags", tag_model), {})
    missing = [name for name in names if name not in known]
    if missing:
        for tag in tag_model._default_manager.filter(name__in=missing):
            known[tag.name] = tag
        for name in missing:
            if name not in known:
                known[name] = tag_model._default_manager.get_or_create(name=name)[0]
    return [known[name] for name in names]


def move_if_needed(page, parent):
    """``page`` under ``parent``; re-read after a move, which rewrites its tree fields.

    Call before changing any field: a move saves and reloads the page."""
    if page.path[: -Page.steplen] == parent.path:
        return page
    page.move(parent, pos="last-child")
    run.forget_children(parent)
    return type(page).objects.get(pk=page.pk)


@contextmanager
def deferred_indexing(models):
    """Skip the search and reference index updates each save would make; the caller
    indexes in bulk instead (``index_pages``).

    Per save, the SQLite search backend also renormalises every title in the index,
    so indexing 10,000 imported pages one by one gets slower with every page. This
    disconnects a process-wide signal: meant for commands, not for web requests.
    """
    disconnected = [
        model for model in models if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)


def _prefetch_relations(model, pages):
    """Read the child objects (tagged items ...) and tags of ``pages`` in one query per
    relation, for the indexes below, which otherwise query them page by page."""
    names = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
    names += [
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, TaggableManager) and field.name not in names
    ]
    fresh = [page for page in pages if not wagtail_private.has_unsaved_relations(page)]
    if names and fresh:
        prefetch_related_objects(fresh, *names)


def create_references(pages):
    """Reference-index pages created in this import, in one bulk INSERT: the rows
    ``ReferenceIndex.create_or_update_for_object`` would write, without its two queries
    a page for existing rows to keep or delete (a page made in this run has none)."""
    rows = []
    for page in pages:
        rows += wagtail_private.new_reference_rows(page)
    ignore = {"ignore_conflicts": True} if connection.features.supports_ignore_conflicts else {}
    ReferenceIndex.objects.bulk_create(rows, batch_size=500, **ignore)


def index_pages(pages, created=()):
    """Wagtail-search-index (in one bulk call per page type) and reference-index
    ``pages``. ``created``: the ids of pages made in this import, whose references are
    written in bulk (``create_references``) from the child objects ``add_page`` knows
    they have. Call after ``flush_pending``, which saved their tags. The archive search
    and the page cache follow the saves themselves (gongjian_site.changes, per batch)."""
    created = set(created)
    by_model, held = {}, []
    for page in pages:
        by_model.setdefault(type(page), {})[page.pk] = page
        children = page.__dict__.pop("_import_children", None)
        if children is not None and page.pk in created:
            wagtail_private.hold_children(page, children)
            held.append((page, list(children)))
    try:
        for model, found in by_model.items():
            _prefetch_relations(model, list(found.values()))
        for model, found in by_model.items():
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(model, list(found.values()))
            new = [page for pk, page in found.items() if pk in created]
            create_references(new)
            for pk, page in found.items():
                if pk not in created:
                    ReferenceIndex.create_or_update_for_object(page)
    finally:
        for page, names in held:
            wagtail_private.release_children(page, names)
