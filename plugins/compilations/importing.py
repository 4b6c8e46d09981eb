"""Word compilations in: an old 经验汇编 in .docx becomes a compilation page with its
chapters and articles, split at headings.

``import_docx`` (and ``import_docx_file``, the ``import_archive`` entry point) takes what
``docx_reading.read_docx`` parsed from the file (see there for the reading rules and the
limits) and writes it as pages: placed under the editor unit or ``--unit``, matched by
source id so that a re-import updates in place and retires what the file no longer has,
committed in batches with the report of what was done, skipped or left out.
"""

import contextlib
import hashlib
from io import BytesIO
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Page

from gongjian_site import changes
from plugins.archive.api import (
    ImportReport,
    RecordSkipped,
    UnitResolver,
    add_page,
    deferred_indexing,
    flush_pending,
    import_run,
    in_bin,
    index_pages,
    limit,
    move_if_needed,
    not_binned,
    publish_fields,
    set_tags,
    unassigned_section,
)

# the reading side, re-exported: tests and callers import these from here
from .docx_reading import (  # noqa: F401
    ParsedArticle,
    ParsedChapter,
    ParsedCompilation,
    check_package,
    check_picture,
    read_docx,
    year_in,
)
from .models import CompilationArticlePage, CompilationChapterPage, CompilationPage


class _Writer:
    """Saves a parsed compilation in batches, remembering the image files it writes so
    that a batch that rolls back leaves no file behind."""

    def __init__(self, report, source_id):
        self.report = report
        self.source_id = source_id
        self.new_files = []
        self.images = {}

    def stream(self, blocks, title):
        """Stream data from parsed blocks, saving pictures as Wagtail images."""
        Image = get_image_model()
        data = []
        for block in blocks:
            if block["type"] == "paragraph":
                data.append({"type": "paragraph", "value": f"<p>{escape(block['value'])}</p>"})
            elif block["type"] == "quote":
                data.append({"type": "quote", "value": block["value"]})
            else:
                value = block["value"]
                digest = hashlib.sha1(value["blob"]).hexdigest()[:16]
                name = f"docx-{digest}{value['suffix']}"
                image = self.images.get(name) or Image.objects.filter(title=name).first()
                if image is None:
                    image = Image(title=name)
                    image.file = ImageFile(BytesIO(value["blob"]), name=name)
                    image.save()
                    self.new_files.append((image.file.storage, image.file.name))
                self.images[name] = image
                alt = value["caption"] or title
                data.append(
                    {"type": "image",
                     "value": {"image": image.pk, "alt_text": alt[:255],
                               "caption": value["caption"][:255]}}
                )  # fmt: skip
        return data

    def discard_files(self):
        """Delete the image files written by a batch that rolled back."""
        for storage, name in self.new_files:
            with contextlib.suppress(OSError):
                storage.delete(name)
        self.new_files = []
        self.images = {}


def _upsert(known, model, source_id, parent, fields):
    """The page with ``source_id`` updated, or a new one under ``parent``; RecordSkipped
    when it is in the recycle bin (unless --restore-deleted)."""
    page = known.get(source_id)
    if page is not None and in_bin(page):
        # read afresh: restoring the compilation (--restore-deleted) moved its subtree
        page = not_binned(type(page).objects.get(pk=page.pk))
    created = page is None
    if created:
        page = model(source_id=source_id, **publish_fields())
    else:
        page = move_if_needed(page, parent)
    tags = fields.pop("_tags", None)
    for name, value in fields.items():
        setattr(page, name, value)
    if tags is not None:
        set_tags(page, tags)
    if created:
        add_page(parent, page)
    else:
        page.save()
    return page, created


def import_docx(path, unit="", report=None, date=None, restore_deleted=False):
    """Import a .docx compilation; idempotent by file name (source id ``docx:<name>``).

    Re-importing the same file updates the compilation, its chapters and articles in
    place (matched by position) and moves articles the new file no longer has to the
    recycle bin. Pages are committed in batches (``docx_batch`` pages a transaction):
    a batch that fails is reported and rolled back with its image files, and running
    the same file again goes on from there.
    """
    report = report or ImportReport()
    try:
        parsed = read_docx(path)
    except ValueError as exc:
        report.errors.append((0, str(exc)))
        return report
    source_id = f"docx:{Path(path).name}"[:100]
    for what, value, why in parsed.notes:
        report.notes.append((0, source_id, what, value, why))
    if date is not None:
        parsed.date, parsed.year = date, date.year
    elif parsed.date is not None:
        report.notes.append((0, source_id, "日期", parsed.date.isoformat(),
                             f"取自{parsed.date_source}"))  # fmt: skip
    else:
        why = "文档中找不到年份或创建日期，请用 --date 指定；文章暂不记日期"
        report.notes.append((0, source_id, "日期", "无", why))
    models = [CompilationPage, CompilationChapterPage, CompilationArticlePage]
    with deferred_indexing(models), import_run(restore_deleted=restore_deleted):
        _write(parsed, unit, source_id, report)
    return report


def _place(parsed, unit, source_id, report):
    resolver = UnitResolver()
    editor_id, _found = resolver.resolve(parsed.editor_unit) if parsed.editor_unit else (None, None)
    place = unit or parsed.editor_unit
    parent_id, found = (
        resolver.resolve(place) if place else (None, "文件没有写编印单位，也没有用 --unit 指定")
    )
    if parent_id is None or not issubclass(
        found, tuple(CompilationPage.allowed_parent_page_models())
    ):
        reason = found if parent_id is None else f"{found._meta.verbose_name}下不能存放经验汇编"
        report.unassigned.append((0, source_id, place, reason))
        return unassigned_section(), editor_id
    return Page.objects.get(pk=parent_id), editor_id


def _write(parsed, unit, source_id, report):
    writer = _Writer(report, source_id)
    known = {}
    for model in (CompilationPage, CompilationChapterPage, CompilationArticlePage):
        for page in model.objects.filter(source_id__startswith=source_id):
            known[page.source_id] = page
    # the work, in order: (kind, number, source id, parent key, fields)
    steps = []
    for c_no, chapter in enumerate(parsed.chapters, start=1):
        holder = source_id
        if chapter.title is not None:
            holder = f"{source_id}#{c_no}"
            steps.append((CompilationChapterPage, holder, source_id, chapter, None))
        for a_no, article in enumerate(chapter.articles, start=1):
            steps.append((CompilationArticlePage, f"{source_id}#{c_no}.{a_no}", holder,
                          chapter, article))  # fmt: skip
    pages = {}
    seen = set()
    size = limit("docx_batch")
    first = True
    for start in range(0, max(len(steps), 1), size):
        chunk = steps[start : start + size]
        touched, created = [], set()
        try:
            with transaction.atomic(), changes.batch():
                if first:
                    parent, editor_id = _place(parsed, unit, source_id, report)
                    preface = "".join(f"<p>{escape(line)}</p>" for line in parsed.preface)
                    fields = {"title": parsed.title[:255], "preface": preface,
                              "editor_unit_id": editor_id}  # fmt: skip
                    if parsed.year and 1949 <= parsed.year <= 2100:
                        fields["year"] = parsed.year
                    page, made = _upsert(known, CompilationPage, source_id, parent, fields)
                    pages[source_id] = page
                    touched.append(page)
                    if made:
                        created.add(page.pk)
                for model, key, holder_key, chapter, article in chunk:
                    holder = pages.get(holder_key)
                    if holder is None:
                        continue  # its chapter was skipped (in the bin)
                    try:
                        values = _fields(writer, parsed, chapter, article)
                        with transaction.atomic():
                            page, made = _upsert(known, model, key, holder, values)
                    except RecordSkipped as exc:
                        report.skipped.append((0, key, str(exc)))
                        continue
                    pages[key] = page
                    seen.add(page.pk)
                    touched.append(page)
                    if made:
                        created.add(page.pk)
                flush_pending()
                index_pages(touched, created=created)
        except RecordSkipped as exc:
            # the compilation itself is in the recycle bin: nothing of the file is imported
            report.skipped.append((0, source_id, str(exc)))
            return
        except Exception as exc:  # noqa: BLE001 - reported; earlier batches stay
            writer.discard_files()
            numbers = [a.number for _m, _k, _h, _c, a in chunk if a is not None] or [0]
            report.errors.append(
                (0, f"第 {numbers[0]}–{numbers[-1]} 篇文章这一批未能提交（{exc}），"
                 "其中的文章都没有导入；排除原因后重新运行同一命令即可续导")
            )  # fmt: skip
            return
        writer.new_files = []
        first = False
        for page in touched:
            if isinstance(page, CompilationChapterPage):
                continue  # counted as before: the compilation and its articles
            if page.pk in created:
                report.created += 1
            else:
                report.updated += 1
    _retire_stale(pages[source_id], seen, report, source_id)


def _fields(writer, parsed, chapter, article):
    if article is None:
        return {"title": chapter.title[:255], "intro": "\n".join(chapter.intro)}
    return {
        "title": article.title[:255], "author": article.author[:100],
        "unit_name": article.unit_name[:255], "date": parsed.date,
        "body": writer.stream(article.body, article.title),
        "_tags": parsed.keywords,
    }  # fmt: skip


def _retire_stale(compilation, seen, report, source_id):
    """Pages of an earlier import of this file that the file no longer has go to the
    recycle bin (where an editor can still bring them back), not out of existence."""
    stale = Page.objects.descendant_of(compilation).exclude(pk__in=seen).order_by("path")
    retired = []
    for page in stale:
        if any(page.path.startswith(path) for path in retired):
            continue
        with transaction.atomic():
            from django.apps import apps

            if apps.is_installed("plugins.recyclebin"):
                from plugins.recyclebin.models import move_to_bin

                move_to_bin(page)
            else:
                page.delete()
        retired.append(page.path)
        report.notes.append((0, source_id, "页面", page.title, "新文件中已没有，已移入回收站"))


def import_docx_file(path, unit="", date=None, restore_deleted=False):
    """The ``import_archive`` entry point for .docx files."""
    return import_docx(path, unit=unit, date=date, restore_deleted=restore_deleted)
