"""Word compilations in: an old 经验汇编 in .docx becomes a compilation page with its
chapters and articles, split at headings.

Reading rules (the same layout ``exporting.export_docx`` writes):
- the compilation's title is the first "Title" paragraph, else the document's title
  property, else the file name;
- its date: ``--date``, else the year in the title or on the cover (2020年 or
  二〇二〇年) with the document's creation date when that falls in the same year (else
  1 January of it), else the document's creation date; every article carries it;
- "编印单位：X" on the cover names the editor unit (and, without ``--unit``, the place);
- the document's keywords become every article's tags;
- table-of-contents paragraphs are skipped; a heading 前言/序言 starts the preface;
- with two heading levels the upper one is a chapter and the next an article; with one
  level every heading is an article;
- paragraphs are kept one by one; Quote paragraphs become quotes; pictures become
  Wagtail images with the following Caption paragraph as caption and alt text.

A .docx is a zip of XML parts, so a hostile one can be a zip bomb, a million parts or
a picture of 400 million pixels: ``check_package`` and ``check_picture`` hold them to
the limits of ``plugins.archive.api.limit`` before anything is unpacked or saved.
"""

import contextlib
import datetime
import hashlib
import re
import zipfile
from dataclasses import dataclass, field
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

from .exporting import META_STYLE, PREFACE_TITLE, TOC_TITLE
from .models import CompilationArticlePage, CompilationChapterPage, CompilationPage

HEADING = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
PREFACE_TITLES = {PREFACE_TITLE, "序言", "序", "前 言"}
CHINESE_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九０１２３４５６７８９",
                               "00001234567890123456789")  # fmt: skip
YEAR = re.compile(
    r"((?:19|20)\d\d|[一二][〇零○Ｏ九一二三四五六七八][〇零○Ｏ一二三四五六七八九]{2}|[１２][０９][０-９]{2})\s*年?"
)
# python-docx stamps its own template's date on documents it makes from scratch
TEMPLATE_CREATED = datetime.datetime(2013, 12, 23, 23, 15, tzinfo=datetime.UTC)
PICTURE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}


def year_in(text):
    """The first year (1949-2100) written in ``text``, in Arabic or Chinese numerals."""
    for match in YEAR.finditer(text or ""):
        year = int(match.group(1).translate(CHINESE_DIGITS))
        if 1949 <= year <= 2100:
            return year
    return None


@dataclass
class ParsedArticle:
    title: str
    author: str = ""
    unit_name: str = ""
    #: the heading's ordinal in the document (for the report)
    number: int = 0
    #: stream data for the body StreamField
    body: list = field(default_factory=list)


@dataclass
class ParsedChapter:
    title: str | None
    intro: list = field(default_factory=list)
    articles: list = field(default_factory=list)


@dataclass
class ParsedCompilation:
    title: str
    year: int | None = None
    #: the date the document gives (see the module docstring), and how it was found
    date: datetime.date | None = None
    date_source: str = ""
    keywords: list = field(default_factory=list)
    editor_unit: str = ""
    preface: list = field(default_factory=list)
    chapters: list = field(default_factory=list)
    images: list = field(default_factory=list)
    #: (what, value, why): pictures left out and the like
    notes: list = field(default_factory=list)


def _heading_level(paragraph):
    name = paragraph.style.name if paragraph.style is not None else ""
    match = HEADING.match(name.strip())
    return int(match.group(1)) if match else None


def _pictures(paragraph):
    """(bytes, part name) of every picture in a paragraph."""
    from docx.oxml.ns import qn

    blobs = []
    for blip in paragraph._p.iter(qn("a:blip")):
        rel_id = blip.get(qn("r:embed"))
        part = paragraph.part.related_parts.get(rel_id) if rel_id else None
        if part is not None:
            blobs.append((part.blob, str(part.partname)))
    return blobs


def check_package(path):
    """Refuse (ValueError, in Chinese) a file that is no zip, or a zip past the limits:
    total uncompressed size, number of parts, compression ratio of one part. Read from
    the zip's directory alone, before anything is unpacked; a part whose directory
    entry lies about its size fails its CRC check when python-docx reads it."""
    size = path.seek(0, 2) if hasattr(path, "seek") else Path(path).stat().st_size
    if hasattr(path, "seek"):
        path.seek(0)
    if size == 0:
        raise ValueError("文件是空的，不是有效的 Word 文件（.docx）")
    if size > limit("docx_bytes"):
        raise ValueError(f"文件超过 {limit('docx_bytes') // 2**20} MB 的上限")
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ValueError(f"不是有效的 Word 文件（.docx）：{exc}") from exc
    finally:
        if hasattr(path, "seek"):
            path.seek(0)
    if len(parts) > limit("docx_parts"):
        raise ValueError(f"文件含有 {len(parts)} 个部件，超过 {limit('docx_parts')} 个的上限")
    total = sum(part.file_size for part in parts)
    if total > limit("docx_uncompressed_bytes"):
        raise ValueError(
            f"文件解压后有 {total // 2**20} MB，超过 {limit('docx_uncompressed_bytes') // 2**20}"
            " MB 的上限（可能是压缩炸弹）"
        )
    for part in parts:
        if part.filename.endswith((".xml", ".rels")) and part.file_size > limit(
            "docx_xml_part_bytes"
        ):
            raise ValueError(
                f"部件 {part.filename} 解压后有 {part.file_size // 2**20} MB，"
                f"超过 {limit('docx_xml_part_bytes') // 2**20} MB 的上限"
            )
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > 2**20 and ratio > limit("docx_ratio"):
            raise ValueError(
                f"部件 {part.filename} 的压缩比为 {ratio:.0f}:1，超过 {limit('docx_ratio')}:1"
                " 的上限（可能是压缩炸弹）"
            )


def check_picture(blob):
    """(format, suffix) of a picture Wagtail can store, or ValueError saying why not:
    unreadable, truncated, of an unsupported format, or past the pixel limit (checked
    from the header, before the pixels are decoded)."""
    import warnings

    from PIL import Image as PILImage

    most = limit("image_pixels")
    too_many = f"超过 {most / 10**6:g} 百万像素的上限"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(BytesIO(blob)) as picture:
                width, height = picture.size
                kind = picture.format
                if width * height <= most and kind in PICTURE_FORMATS:
                    picture.load()
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise ValueError(f"像素过多，{too_many}（可能是图片炸弹）") from exc
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for broken data
        raise ValueError(f"无法读取（{type(exc).__name__}）") from exc
    if width * height > most:
        raise ValueError(f"{width}×{height} 像素，{too_many}")
    if kind not in PICTURE_FORMATS:
        raise ValueError(f"不支持的图片格式 {kind or '未知'}")
    return kind, PICTURE_FORMATS[kind]


def read_docx(path):
    """Parse a .docx compilation into a ParsedCompilation (no database access).

    Raises ValueError (in Chinese) for anything that is not a readable .docx within
    the limits; a picture that cannot be stored is left out and noted instead."""
    from docx import Document

    check_package(path)
    try:
        document = Document(path if hasattr(path, "read") else str(path))
        return _read(document, path)
    except ValueError:
        raise
    except Exception as exc:  # noqa: BLE001 - broken XML, missing parts, bad relations ...
        raise ValueError(f"无法读取 Word 文件的内容（{type(exc).__name__}：{exc}）"[:300]) from exc


def _read(document, path):
    paragraphs = list(document.paragraphs)
    levels = sorted(
        {
            level
            for p in paragraphs
            if (level := _heading_level(p)) and p.text.strip() not in PREFACE_TITLES
        }
    )
    chapter_level = levels[0] if len(levels) >= 2 else None
    article_level = levels[1] if len(levels) >= 2 else (levels[0] if levels else None)

    parsed = ParsedCompilation(title="")
    cover = []
    mode = "cover"
    chapter = None
    article = None
    pending_image = None
    numbered = 0

    for paragraph in paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        text = paragraph.text.strip()
        level = _heading_level(paragraph)
        if style == "Title" and not parsed.title:
            parsed.title = text
            continue
        if style.lower().startswith("toc") or (mode == "cover" and text == TOC_TITLE):
            continue
        if level is not None and text in PREFACE_TITLES:
            mode, article = "preface", None
            continue
        if level is not None and level == chapter_level:
            chapter = ParsedChapter(text)
            parsed.chapters.append(chapter)
            mode, article = "chapter", None
            continue
        if level is not None and level == article_level and text:
            if chapter is None:
                chapter = ParsedChapter(None)
                parsed.chapters.append(chapter)
            numbered += 1
            article = ParsedArticle(text, number=numbered)
            chapter.articles.append(article)
            mode = "article"
            continue
        pictures = _pictures(paragraph)
        if pictures and article is not None:
            for blob, name in pictures:
                try:
                    _kind, suffix = check_picture(blob)
                except ValueError as exc:
                    parsed.notes.append(
                        ("图片", f"第 {article.number} 篇《{article.title}》中的 {name}",
                         f"{exc}，已略过")
                    )  # fmt: skip
                    continue
                pending_image = {"blob": blob, "suffix": suffix, "caption": "",
                                 "title": article.title}  # fmt: skip
                article.body.append({"type": "image", "value": pending_image})
            continue
        if not text:
            continue
        if mode == "cover":
            cover.append(text)
        elif mode == "preface":
            parsed.preface.append(text)
        elif mode == "chapter":
            chapter.intro.append(text)
        elif mode == "article":
            if style == META_STYLE:
                for part in re.split(r"\s+|　", text):
                    if part.startswith("作者："):
                        article.author = part[3:]
                    elif part.startswith("单位："):
                        article.unit_name = part[3:]
                continue
            if style == "Caption" and pending_image is not None and not pending_image["caption"]:
                pending_image["caption"] = text
                continue
            pending_image = None
            block = "quote" if "quote" in style.lower() else "paragraph"
            article.body.append({"type": block, "value": text})
    properties = document.core_properties
    parsed.title = parsed.title or (properties.title or "").strip()
    parsed.title = parsed.title or (Path(path).stem if isinstance(path, str | Path) else "经验汇编")
    for line in [parsed.title, *cover]:
        parsed.year = year_in(line)
        if parsed.year:
            break
    created = properties.created
    if created == TEMPLATE_CREATED:
        created = None
    if parsed.year:
        if created is not None and created.year == parsed.year:
            parsed.date, parsed.date_source = created.date(), "标题中的年份与文档的创建日期"
        else:
            parsed.date = datetime.date(parsed.year, 1, 1)
            parsed.date_source = "标题中的年份（文档中没有同年的日期，记为当年 1 月 1 日）"
    elif created is not None and 1949 <= created.year <= 2100:
        parsed.date, parsed.date_source = created.date(), "文档属性中的创建日期"
        parsed.year = created.year
    keywords = re.split(r"[,;，；、\s]+", properties.keywords or "")
    parsed.keywords = list(dict.fromkeys(k.strip()[:100] for k in keywords if k.strip()))
    for line in cover:
        if line.startswith("编印单位："):
            parsed.editor_unit = line[len("编印单位：") :].strip()
    return parsed


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
