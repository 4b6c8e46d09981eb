"""Reading a Word 经验汇编 (.docx), without the database: ``read_docx`` holds the file to
the limits and turns its headings, paragraphs and pictures into a ``ParsedCompilation``
of chapters and articles, which ``importing`` then writes as pages. Kept apart from the
writing so the parsing rules and the defences against hostile files can be read (and
tested) on their own.

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

import datetime
import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from plugins.archive.api import limit

from .exporting import META_STYLE, PREFACE_TITLE, TOC_TITLE

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
