"""Importing archives: the `.jsonl` import and the registry of importers.

Each publicity plugin offers an ``archive`` module with ``IMPORTERS`` (record type ->
importer) and optionally ``FILE_IMPORTERS`` (file suffix -> function), so this plugin
never imports theirs and a new record type is one entry in its own plugin.

An importer has a ``model`` (the page type it makes, used to check where it may
live) and ``import_record(record, parent) -> (page, created)`` (created is False when
it updated the page with the same source id); it builds pages with the bulk page
writer that ``plugins.archive.api`` offers.

The parts: ``records`` (reading and checking lines), ``units`` (which organisation a
record belongs to), ``run`` (what one import remembers), ``pagewriter`` (the bulk
page writer), ``report`` (what the user is told) and ``wagtail_private`` (the only
module that touches Wagtail's internals).
"""

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from wagtail.models import Page

from gongjian_site import changes
from gongjian_site.plugins import plugin_hooks

from . import run
from .pagewriter import deferred_indexing, flush_pending, index_pages
from .records import RecordError, RecordSkipped, count_lines, parse_line, read_lines
from .report import ImportReport, Progress, error_message
from .run import import_run, imported_before, remember_page, run_cache, run_option
from .units import resolve_unit, unassigned_section


def importers():
    """Record type -> importer, gathered from every installed plugin."""
    found = {}
    for _config, registry in plugin_hooks("archive", "IMPORTERS"):
        found.update(registry)
    return found


def file_importers():
    """File suffix (".docx") -> import function(path, report, stdout, unit), from the plugins."""
    found = {}
    for _config, registry in plugin_hooks("archive", "FILE_IMPORTERS"):
        found.update(registry)
    return found


def import_jsonl(
    path, progress=True, progress_stream=None, batch_size=500, restore_deleted=False,
    resume=False,
):  # fmt: skip
    """Import a .jsonl archive; returns an ImportReport. Bad lines never stop the rest.

    The file is read line by line and records are committed in batches (one
    transaction per ``batch_size`` records), with a savepoint around each record so a
    bad one rolls back alone; each batch is search-indexed before it commits. A batch
    that cannot commit is reported with its lines and the import goes on; running the
    same file again imports what is missing (pages are matched by source id).
    """
    registry = importers()
    report = ImportReport()
    bar = Progress(count_lines(path), progress_stream, enabled=progress)
    seen = {}
    with deferred_indexing(_page_models(registry)), import_run(restore_deleted, resume):
        context = {"registry": registry, "section": None}
        batch = []
        for line_no, text in read_lines(path):
            record = None
            if isinstance(text, RecordError):
                report.errors.append((line_no, str(text)))
            elif text.strip():
                try:
                    record = parse_line(line_no, text, registry)
                except RecordError as exc:
                    report.errors.append((line_no, str(exc)))
            if record is not None:
                key = (record.type, record.source_id)
                if key in seen:
                    report.errors.append(
                        (line_no, f"编号“{record.source_id}”与第 {seen[key]} 行重复，未导入")
                    )
                else:
                    seen[key] = line_no
                    batch.append(record)
            if len(batch) >= batch_size:
                _commit_batch(batch, context, report)
                batch = []
            bar.update(line_no)
        if batch:
            _commit_batch(batch, context, report)
    report.errors.sort()
    return report


def _commit_batch(records, context, report):
    """Import ``records`` in one transaction; on failure report their lines and forget
    what the run remembered, so the next batch starts from the database as it is."""
    done = ImportReport()
    touched, created, updated = [], set(), set()
    try:
        # One reindex and one cache renewal for the batch, inside its transaction.
        with transaction.atomic(), changes.batch():
            for record in records:
                result = _import_record(record, context, done)
                if result is not None:
                    page, is_new = result
                    touched.append(page)
                    (created if is_new else updated).add(page.pk)
            flush_pending()
            # A page made and then updated again in the same batch is indexed the
            # ordinary way, from its last state.
            index_pages(touched, created=created - updated)
    except Exception as exc:  # noqa: BLE001 - any failure: reported, the import goes on
        run.reset_run()
        context["section"] = None
        report.errors += done.errors
        report.failed_batches.append((records[0].line, records[-1].line, error_message(exc)))
        return
    for name in ("created", "updated", "already"):
        setattr(report, name, getattr(report, name) + getattr(done, name))
    for name in ("unassigned", "errors", "skipped", "restored", "notes"):
        getattr(report, name).extend(getattr(done, name))


def _page_models(registry):
    """Every page model an importer may save: its own and any declared ``saves``."""
    found = set()
    for importer in registry.values():
        found.add(importer.model)
        found.update(getattr(importer, "saves", ()))
    return found


def _parent(page_id):
    """The parent page, read once per import: its tree fields are only changed by
    ``add_page``, which keeps the remembered copy right."""
    parents = run_cache().setdefault("parents", {})
    if page_id not in parents:
        parents[page_id] = Page.objects.get(pk=page_id)
    return parents[page_id]


def _import_record(record, context, report):
    """Import one record; returns (page, created), or None when it was not imported."""
    importer = context["registry"][record.type]
    line_no = record.line
    if run_option("resume") and imported_before(
        getattr(importer, "record_model", importer.model), record.source_id
    ):
        report.already += 1
        return None
    parent_id, found = resolve_unit(record.unit)
    reason = None
    if parent_id is None:
        reason = found
    elif not issubclass(found, tuple(importer.model.allowed_parent_page_models())):
        reason = f"{found._meta.verbose_name}下不能存放{importer.model._meta.verbose_name}"
    mark = run.begin_record()
    try:
        with transaction.atomic():
            if reason:
                context["section"] = context["section"] or unassigned_section()
                parent = context["section"]
            else:
                parent = _parent(parent_id)
            page, created = importer.import_record(record, parent)
            remember_page(page)
    except RecordSkipped as exc:
        run.pending_rollback(mark)
        report.skipped.append((line_no, record.source_id, str(exc)))
        return None
    except DatabaseError as exc:
        run.pending_rollback(mark)
        # the savepoint rolled back, but a child list or source id read inside it may
        # be what failed: read them afresh
        run.forget_tree()
        run.drop_source_ids()
        report.errors.append((line_no, f"数据库拒绝了这条记录：{error_message(exc)}"))
        return None
    except (RecordError, ValidationError, ValueError, TypeError, LookupError) as exc:
        run.pending_rollback(mark)
        report.errors.append((line_no, error_message(exc)))
        return None
    except BaseException:
        run.pending_rollback(mark)
        raise
    if created:
        report.created += 1
    else:
        report.updated += 1
    if run.restored_in_record():
        report.restored.append((line_no, record.source_id))
    if reason:
        report.unassigned.append((line_no, record.source_id, record.unit, reason))
    for what, value, why in record.notes:
        report.notes.append((line_no, record.source_id, what, value, why))
    return page, created
