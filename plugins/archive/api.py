"""What other plugins may use of plugins.archive: the only module they import from it.

The publicity plugins (activities, cases, compilations) build on the archive: their
page bodies are its blocks, their pages keep its source ids, and their ``archive``
modules turn records into pages with its bulk page writer. Everything they need is
named here, so the archive's own modules (records, units, run, pagewriter, report,
wagtail_private) can change without breaking them.

Writing an importer (``IMPORTERS`` in the plugin's ``archive`` module):
``import_record(record, parent)`` gets a checked ``Record`` and the page it goes under;
it finds the page made last time with ``existing_page`` (moving it with
``move_if_needed``), sets fields, tags with ``set_tags``, and saves a new page with
``add_page`` (an existing one with ``save()``); ``RecordError`` reports the line.
A file importer (``FILE_IMPORTERS``) opens ``import_run`` inside ``deferred_indexing``,
commits per batch after ``flush_pending`` and ``index_pages``, and returns an
``ImportReport``.
"""

from importlib import import_module

from .blocks import (
    CaptionedImageBlock,
    body_blocks,
    body_from_text,
    body_items,
    body_text,
    html_to_text,
)
from .models import UNASSIGNED_TITLE, ArchiveSectionPage, SourceIdMixin

# The importer's names are loaded on first use: the plugins' models modules import this
# module while Django is still loading models, before the importer's Wagtail imports
# (signal handlers, search backends) can be.
_IMPORTER = {
    "importing": ["file_importers", "import_jsonl", "importers"],
    "pagewriter": ["add_page", "deferred_indexing", "flush_pending", "index_pages",
                   "move_if_needed", "publish_fields", "set_tags"],
    "records": ["Record", "RecordError", "RecordSkipped", "limit"],
    "report": ["ImportReport", "error_message"],
    "run": ["existing_page", "import_run", "in_bin", "not_binned", "remember_page",
            "run_cache"],
    "units": ["UnitResolver", "resolve_unit", "unassigned_section"],
}  # fmt: skip
_MODULE_OF = {name: module for module, names in _IMPORTER.items() for name in names}


def __getattr__(name):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __package__), name)
    globals()[name] = value
    return value


__all__ = [
    # page bodies and source ids
    "CaptionedImageBlock",
    "body_blocks",
    "body_from_text",
    "body_items",
    "body_text",
    "html_to_text",
    "SourceIdMixin",
    "ArchiveSectionPage",
    "UNASSIGNED_TITLE",
    # running an import and writing an importer
    *_MODULE_OF,
]
