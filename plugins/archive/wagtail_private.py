"""Every private Wagtail, treebeard and modelcluster API the archive import relies on.

The import writes thousands of pages in one run. Wagtail's public way (``add_child``,
``save_revision``, per-save log, reference and search index updates) costs a dozen
queries a page, so the bulk page writer (``pagewriter``) does the same work in bulk
with a few internals of these libraries. Those internals can change in any release
without notice, so they are used here only, each behind a function that says what we
rely on, and each has a test (tests/archive/test_wagtail_private.py) that checks the
behaviour still holds: after an upgrade, the failing test names what broke.

Importing this module on an untested Wagtail version raises ImproperlyConfigured (the
archive app imports it when the site starts): a silent half-working import would be
worse than a site that says at once what to check.
"""

from contextlib import contextmanager

import wagtail
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_registry
from wagtail.models import Page, ReferenceIndex

#: Wagtail (major, minor) versions whose internals below were checked.
TESTED_WAGTAIL = ((8, 0),)


def check_version(version=None):
    """Raise ImproperlyConfigured unless Wagtail ``version`` (the installed one by
    default) is one whose internals this module was tested with."""
    version = tuple(version or wagtail.VERSION)
    if version[:2] not in TESTED_WAGTAIL:
        tested = ", ".join(f"{major}.{minor}.x" for major, minor in TESTED_WAGTAIL)
        found = ".".join(str(part) for part in version[:3])
        raise ImproperlyConfigured(
            f"plugins.archive uses private Wagtail APIs tested with Wagtail {tested} only, "
            f"but Wagtail {found} is installed. Run tests/archive/test_wagtail_private.py "
            "on the new version, fix plugins/archive/wagtail_private.py where a test fails, "
            "then add the version to TESTED_WAGTAIL."
        )


check_version()


# --- treebeard: materialised paths -------------------------------------------------


def next_sibling_path(path, depth):
    """The tree path of the node after the one at ``path`` (treebeard ``_inc_path``):
    what ``add_child`` gives a parent's next child when ``path`` is its last one."""
    return Page(path=path, depth=depth)._inc_path()


def first_child_path(parent_path, depth):
    """The tree path of the first child of the node at ``parent_path`` (treebeard
    ``_get_path``), ``depth`` being the child's depth."""
    return Page._get_path(parent_path, depth, 1)


# --- wagtail: Page.save shortcuts --------------------------------------------------


@contextmanager
def saving_new_child(page, parent):
    """Save ``page`` (a new page given path and depth under ``parent``) inside the
    block without the two lookups ``Page.save`` makes for it.

    ``_cached_parent_obj`` is where ``Page.get_parent`` caches the parent, from which
    ``save`` derives ``url_path``; ``_is_site_root`` is the attribute Wagtail's own
    ``PageQuerySet.annotate_site_root_state`` sets so that ``save`` need not ask the
    database whether the page roots a site. A new page has a fresh translation key,
    which no site can point at yet.
    """
    page._cached_parent_obj = parent
    page._is_site_root = False
    try:
        yield page
    finally:
        page.__dict__.pop("_is_site_root", None)


# --- wagtail: log entries ----------------------------------------------------------


def creation_log_entry(page):
    """The unsaved "wagtail.create" log entry ``Page.save`` would write for a new page
    (None when pages are not logged).

    ``Page.save`` logs a creation through ``log()``, which validates and INSERTs one
    entry per page (a fifth of a page's save). This builds the entry the way
    ``BaseLogEntryManager.log_action`` does (log model from the log registry, user and
    uuid from the active log context, label from the admin display title), so a batch
    of them is written in one INSERT.
    """
    model = log_registry.get_log_model_for_instance(page)
    if model is None:
        return None
    context = get_active_log_context()
    return model(
        content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
        label=page.get_admin_display_title(),
        action="wagtail.create",
        timestamp=timezone.now(),
        data={},
        user=page.owner or context.user,
        uuid=context.uuid,
        content_changed=True,
        page=page,
    )


# --- wagtail: reference index ------------------------------------------------------


def new_reference_rows(obj):
    """Unsaved ReferenceIndex rows for ``obj``, which has none yet: the rows
    ``ReferenceIndex.create_or_update_for_object`` would write, without its two queries
    for existing rows to keep or delete.

    Wagtail has no public way to list an object's references; this uses
    ``_extract_references_from_object`` and ``_get_content_path_hash``, the methods
    ``create_or_update_for_object`` is built from.
    """
    types = [
        ContentType.objects.get_for_model(model_or_object, for_concrete_model=False)
        for model_or_object in [obj, *obj._meta.get_parent_list()]
    ]
    references = set(ReferenceIndex._extract_references_from_object(obj))
    return [
        ReferenceIndex(
            content_type=types[0],
            base_content_type=types[-1],
            object_id=obj.pk,
            to_content_type_id=to_content_type_id,
            to_object_id=to_object_id,
            model_path=model_path,
            content_path=content_path,
            content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
        )
        for to_content_type_id, to_object_id, model_path, content_path in references
    ]


# --- modelcluster: in-memory relations ---------------------------------------------


def unsaved_relation_names(obj):
    """The names of the relations of ``obj`` set in memory and not yet saved (modelcluster
    keeps them in ``_cluster_related_objects``, committed and emptied by ``save``)."""
    return set(getattr(obj, "_cluster_related_objects", None) or ())


def hold_children(obj, children):
    """Give the saved ``obj`` its child objects in memory (``children``: relation name ->
    saved objects), as modelcluster holds unsaved ones, so reading them (the reference
    index does) costs no query. ``release_children`` must follow before ``obj`` could
    be saved again: a save would write them a second time."""
    for name, objects in children.items():
        getattr(obj, name).set(objects)


def release_children(obj, names):
    """Undo ``hold_children``: the relations ``names`` of ``obj`` read the database again
    (what modelcluster's own commit does once it has saved them)."""
    held = getattr(obj, "_cluster_related_objects", None)
    for name in names:
        if held is not None:
            held.pop(name, None)


def has_unsaved_relations(obj):
    """Whether ``obj`` holds child objects or many-to-many values set in memory
    (modelcluster keeps them in ``_cluster_related_objects``): prefetching its
    relations from the database would overwrite them."""
    return bool(getattr(obj, "_cluster_related_objects", None))
