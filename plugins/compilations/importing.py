"""Word compilations in: an old 经验汇编 in .docx becomes a compilation page with its
chapters and articles, split at headings.

Reading rules (the same layout ``exporting.export_docx`` writes):
- the compilation's title is the first "Title" paragraph, else the document's title
  property, else the file name; its year is the first 19xx/20xx in the title or cover;
- "编印单位：X" on the cover names the editor unit (and, without ``--unit``, the place);
- table-of-contents paragraphs are skipped; a heading 前言/序言 starts the preface;
- with two heading levels the upper one is a chapter and the next an article; with one
  level every heading is an article;
- paragraphs are kept one by one; Quote paragraphs become quotes; pictures become
  Wagtail images with the following Caption paragraph as caption and alt text.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Page

from plugins.archive.importing import (
    ImportReport,
    UnitResolver,
    move_if_needed,
    publish_fields,
    unassigned_section,
)

from .exporting import META_STYLE, PREFACE_TITLE, TOC_TITLE
from .models import CompilationArticlePage, CompilationChapterPage, CompilationPage

HEADING = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
PREFACE_TITLES = {PREFACE_TITLE, "序言", "序", "前 言"}
YEAR = re.compile(r"(19[4-9]\d|20\d\d)")


@dataclass
class ParsedArticle:
    title: str
    author: str = ""
    unit_name: str = ""
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
    editor_unit: str = ""
    preface: list = field(default_factory=list)
    chapters: list = field(default_factory=list)
    images: list = field(default_factory=list)


def _heading_level(paragraph):
    name = paragraph.style.name if paragraph.style is not None else ""
    match = HEADING.match(name.strip())
    return int(match.group(1)) if match else None


def _pictures(paragraph):
    """Image bytes of every picture in a paragraph."""
    from docx.oxml.ns import qn

    blobs = []
    for blip in paragraph._p.iter(qn("a:blip")):
        rel_id = blip.get(qn("r:embed"))
        part = paragraph.part.related_parts.get(rel_id) if rel_id else None
        if part is not None:
            blobs.append((part.blob, Path(part.partname).suffix or ".png"))
    return blobs


def read_docx(path):
    """Parse a .docx compilation into a ParsedCompilation (no database access)."""
    from zipfile import BadZipFile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(path if hasattr(path, "read") else str(path))
    except (PackageNotFoundError, BadZipFile, KeyError, ValueError) as exc:
        raise ValueError(f"不是有效的 Word 文件（.docx）：{exc}") from exc
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

    def target_body():
        return article.body if article is not None else None

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
            article = ParsedArticle(text)
            chapter.articles.append(article)
            mode = "article"
            continue
        pictures = _pictures(paragraph)
        if pictures and target_body() is not None:
            for blob, suffix in pictures:
                pending_image = {
                    "blob": blob,
                    "suffix": suffix,
                    "caption": "",
                    "title": article.title,
                }
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
    parsed.title = parsed.title or (document.core_properties.title or "").strip()
    parsed.title = parsed.title or (Path(path).stem if isinstance(path, str | Path) else "经验汇编")
    for line in [parsed.title, *cover]:
        match = YEAR.search(line)
        if match:
            parsed.year = int(match.group(1))
            break
    for line in cover:
        if line.startswith("编印单位："):
            parsed.editor_unit = line[len("编印单位：") :].strip()
    return parsed


def _stream(blocks, title):
    """Stream data from parsed blocks, saving pictures as Wagtail images."""
    from django.utils.html import escape

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
            image = Image.objects.filter(title=name).first()
            if image is None:
                from io import BytesIO

                image = Image(title=name)
                image.file = ImageFile(BytesIO(value["blob"]), name=name)
                image.save()
            alt = value["caption"] or title
            data.append(
                {"type": "image",
                 "value": {"image": image.pk, "alt_text": alt[:255], "caption": value["caption"]}}
            )  # fmt: skip
    return data


def _upsert(model, source_id, parent, fields):
    page = model.objects.filter(source_id=source_id).first()
    created = page is None
    if created:
        page = model(source_id=source_id, **publish_fields())
    else:
        page = move_if_needed(page, parent)
    for name, value in fields.items():
        setattr(page, name, value)
    if created:
        parent.add_child(instance=page)
    else:
        page.save()
    return page, created


def import_docx(path, unit="", report=None):
    """Import a .docx compilation; idempotent by file name (source id ``docx:<name>``).

    Re-importing the same file updates the compilation, its chapters and articles in
    place (matched by position) and removes articles the new file no longer has.
    """
    from django.utils.html import escape

    report = report or ImportReport()
    try:
        parsed = read_docx(path)
    except ValueError as exc:
        report.errors.append((0, str(exc)))
        return report
    resolver = UnitResolver()
    editor_id, _found = resolver.resolve(parsed.editor_unit) if parsed.editor_unit else (None, None)
    place = unit or parsed.editor_unit
    parent_id, found = (
        resolver.resolve(place) if place else (None, "文件没有写编印单位，也没有用 --unit 指定")
    )
    source_id = f"docx:{Path(path).name}"
    with transaction.atomic():
        if parent_id is None or not issubclass(
            found, tuple(CompilationPage.allowed_parent_page_models())
        ):
            parent = unassigned_section()
            reason = found if parent_id is None else f"{found._meta.verbose_name}下不能存放经验汇编"
            report.unassigned.append((0, source_id, place, reason))
        else:
            parent = Page.objects.get(pk=parent_id)
        preface = "".join(f"<p>{escape(line)}</p>" for line in parsed.preface)
        fields = {"title": parsed.title[:255], "preface": preface, "editor_unit_id": editor_id}
        if parsed.year:
            fields["year"] = parsed.year
        compilation, created = _upsert(CompilationPage, source_id, parent, fields)
        report.created += created
        report.updated += not created
        seen = set()
        for c_no, chapter in enumerate(parsed.chapters, start=1):
            holder = compilation
            if chapter.title is not None:
                holder, made = _upsert(
                    CompilationChapterPage, f"{source_id}#{c_no}", compilation,
                    {"title": chapter.title[:255], "intro": "\n".join(chapter.intro)},
                )  # fmt: skip
                seen.add(holder.pk)
            for a_no, article in enumerate(chapter.articles, start=1):
                page, made = _upsert(
                    CompilationArticlePage, f"{source_id}#{c_no}.{a_no}", holder,
                    {"title": article.title[:255], "author": article.author[:100],
                     "unit_name": article.unit_name[:255],
                     "body": _stream(article.body, article.title)},
                )  # fmt: skip
                seen.add(page.pk)
                report.created += made
                report.updated += not made
        stale = Page.objects.descendant_of(compilation).exclude(pk__in=seen)
        for page in stale.order_by("-depth"):
            page.delete()
    return report


def import_docx_file(path, unit=""):
    """The ``import_archive`` entry point for .docx files."""
    return import_docx(path, unit=unit)
