"""Compilations to Word (.docx) and PDF, the two forms in which they are printed (编印).

Both walk the same outline (``CompilationPage.outline``) and the same body items
(``plugins.archive.blocks.body_items``), so they always agree on what is printed.
The .docx layout is also what ``importing.read_docx`` reads back: Title for the
compilation, Heading 1 for chapters (and 前言), Heading 2 for articles, "Article Meta"
for the author line, Quote and Caption for quotes and image captions.
"""

import io
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils.text import slugify

from plugins.archive.api import body_items, html_to_text

from .covers import cover_lines, render_cover

PREFACE_TITLE = "前言"
# GB/T 9704-2012 (党政机关公文格式): A4, top margin 37 mm, binding (left) 28 mm, type
# area 156 x 225 mm, so right 26 mm and bottom 35 mm; page numbers "— 1 —" at the foot.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TOC_ROW_MM = 8
TOC_TITLE_MM = 14
TOC_TITLE = "目录"
META_STYLE = "Article Meta"
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


class ExportError(Exception):
    """An export that cannot be made; the message is for the user, in Chinese."""


def article_meta(article):
    parts = []
    if article.author:
        parts.append(f"作者：{article.author}")
    if article.unit_name:
        parts.append(f"单位：{article.unit_name}")
    return "　".join(parts)


def _image_stream(image):
    """The original file of a Wagtail image, or None if it is missing from storage."""
    try:
        with image.file.open("rb") as handle:
            return io.BytesIO(handle.read())
    except (OSError, ValueError):
        return None


# --- Word ----------------------------------------------------------------------


def export_docx(compilation, live_only=True):
    """The compilation as .docx bytes: cover, table of contents, preface, chapters and
    articles with their text, quotes and images with captions."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    sections = compilation.outline(live_only=live_only)
    # The cover template (设置 › 文书模板) is the document's first page and brings the
    # page setup, footer and styles; what follows is added to it.
    document = Document(io.BytesIO(render_cover(compilation)))
    styles = document.styles
    names = {style.name for style in styles}
    for name in ("Title", "Heading 1", "Heading 2", "TOC Heading", "Quote", "Caption",
                 "toc 1", "toc 2", META_STYLE):  # fmt: skip
        # A template saved by Word keeps only the styles it uses.
        if name not in names:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
    styles["toc 2"].paragraph_format.left_indent = Cm(0.75)
    styles[META_STYLE].font.size = Pt(10)
    document.core_properties.title = compilation.title
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # Table of contents: a real Word TOC field, pre-filled so it reads right before
    # Word updates it (updateFields asks Word to refresh page numbers on opening).
    document.add_paragraph(TOC_TITLE, style="TOC Heading")
    entries = []
    if compilation.preface:
        entries.append((1, PREFACE_TITLE))
    for section in sections:
        if section.chapter is not None:
            entries.append((1, section.chapter.title))
        entries.extend((2, article.title) for article in section.articles)
    _add_toc_field(document, entries)
    _ask_word_to_update_fields(document)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    if compilation.preface:
        document.add_heading(PREFACE_TITLE, level=1)
        for line in html_to_text(compilation.preface).splitlines():
            document.add_paragraph(line)
    for section in sections:
        if section.chapter is not None:
            document.add_heading(section.chapter.title, level=1)
            for line in (section.chapter.intro or "").splitlines():
                if line.strip():
                    document.add_paragraph(line.strip())
        for article in section.articles:
            document.add_heading(article.title, level=2)
            meta = article_meta(article)
            if meta:
                document.add_paragraph(meta, style=META_STYLE)
            for line in (article.lead or "").splitlines():
                if line.strip():
                    document.add_paragraph(line.strip())
            for item in body_items(article.body):
                if item[0] == "paragraph":
                    document.add_paragraph(item[1])
                elif item[0] == "quote":
                    document.add_paragraph(item[1], style="Quote")
                else:
                    _, image, alt_text, caption = item
                    stream = _image_stream(image)
                    if stream is None:
                        continue
                    document.add_picture(stream, width=Cm(12))
                    picture = document.paragraphs[-1]
                    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    _set_alt_text(picture, alt_text or caption or image.title)
                    if caption:
                        document.add_paragraph(
                            caption, style="Caption"
                        ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _field_char(kind):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def _add_toc_field(document, entries):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    entries = entries or [(1, "（无内容）")]
    paragraphs = [document.add_paragraph(title, style=f"toc {level}") for level, title in entries]
    first = paragraphs[0]
    begin = first.runs[0]._r
    run = OxmlElement("w:r")
    run.append(_field_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-2" \\h \\z \\u'
    instr_run = OxmlElement("w:r")
    instr_run.append(instr)
    sep_run = OxmlElement("w:r")
    sep_run.append(_field_char("separate"))
    begin.addprevious(run)
    begin.addprevious(instr_run)
    begin.addprevious(sep_run)
    end_run = OxmlElement("w:r")
    end_run.append(_field_char("end"))
    paragraphs[-1]._p.append(end_run)


def _ask_word_to_update_fields(document):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings_element = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings_element.append(update)


def _set_alt_text(paragraph, text):
    from docx.oxml.ns import qn

    for doc_pr in paragraph._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", text or "")


# --- PDF -----------------------------------------------------------------------


@lru_cache(maxsize=4)
def _font_face(path):
    """(path, face index): for a collection (.ttc), the Simplified Chinese face."""
    if not path.lower().endswith((".ttc", ".otc")):
        return path, 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    for number, font in enumerate(collection.fonts):
        name = font["name"].getDebugName(1) or ""
        if name.endswith(" SC") or "SC " in name or "简" in name:
            return path, number
    return path, 0


def cjk_font():
    """(regular path, face, bold path or None, face) of the CJK font for PDFs.

    ``CJK_FONT_PATH`` wins; otherwise the first of Debian's fonts-noto-cjk (or
    WenQuanYi) present. Raises ExportError with the fix when there is none.
    """
    configured = getattr(settings, "CJK_FONT_PATH", None)
    candidates = [configured] if configured else list(FONT_CANDIDATES)
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            regular = _font_face(str(candidate))
            bold_path = str(candidate).replace("-Regular", "-Bold")
            bold = (
                _font_face(bold_path)
                if bold_path != candidate and Path(bold_path).is_file()
                else None
            )
            return regular, bold
    raise ExportError(
        "服务器上没有中文字体，无法导出 PDF：请安装 fonts-noto-cjk（make install 会自动安装），"
        "或用环境变量 CJK_FONT_PATH 指定字体文件。"
    )


def export_pdf(compilation, live_only=True):
    """The compilation as PDF bytes, with an embedded CJK font, bookmarks and a
    table of contents with page numbers."""
    from fpdf import FPDF
    from fpdf.enums import WrapMode, XPos, YPos

    regular, bold = cjk_font()
    sections = compilation.outline(live_only=live_only)

    class OfficialPDF(FPDF):
        def footer(self):
            # Every page but the cover carries its number, as the 目录 cites it.
            if self.page_no() == 1:
                return
            self.set_y(-MARGINS_MM["bottom"] + 10)
            self.set_font("cjk", "", 12)
            self.set_text_color(0)
            self.cell(0, 8, f"— {self.page_no()} —", align="C")

    pdf = OfficialPDF(format="A4")
    pdf.set_margins(MARGINS_MM["left"], MARGINS_MM["top"], MARGINS_MM["right"])
    pdf.set_auto_page_break(True, margin=MARGINS_MM["bottom"])
    pdf.add_font("cjk", "", regular[0], collection_font_number=regular[1])
    if bold:
        pdf.add_font("cjk", "B", bold[0], collection_font_number=bold[1])
    else:
        pdf.add_font("cjk", "B", regular[0], collection_font_number=regular[1])
    pdf.set_title(compilation.title)
    pdf.set_creator("共建 · 区域化党建平台")
    width = pdf.epw

    def text(value, size=11, style="", align="J", indent=True, color=0):
        pdf.set_font("cjk", style, size)
        pdf.set_text_color(color)
        value = ("\u3000\u3000" + value) if indent else value
        pdf.multi_cell(width, size * 0.62, value, align=align, wrapmode=WrapMode.CHAR,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
        pdf.ln(size * 0.25)

    def image_block(image, caption):
        stream = _image_stream(image)
        if stream is None:
            return
        try:
            pdf.image(stream, w=min(width, 120), x=pdf.l_margin + (width - min(width, 120)) / 2)
        except Exception:  # noqa: BLE001 - a broken image must not stop the whole export
            return
        if caption:
            text(caption, size=9, align="C", indent=False, color=90)

    # Cover
    pdf.add_page()
    if compilation.cover_image_id:
        image_block(compilation.cover_image, None)
    pdf.ln(40)
    text(compilation.title, size=24, style="B", align="C", indent=False)
    pdf.ln(10)
    for line in cover_lines(compilation):
        text(line, size=14, align="C", indent=False)

    def render_toc(pdf_, outline):
        pdf_.set_font("cjk", "B", 16)
        pdf_.cell(width, TOC_TITLE_MM, TOC_TITLE, align="C", new_x=XPos.LMARGIN,
                  new_y=YPos.NEXT)  # fmt: skip
        pdf_.set_font("cjk", "", 11)
        for entry in outline:
            indent = 8 * entry.level
            pdf_.set_x(pdf_.l_margin + indent)
            label = entry.name if len(entry.name) <= 30 else entry.name[:29] + "…"
            pdf_.cell(width - indent - 14, TOC_ROW_MM, label,
                      link=pdf_.add_link(page=entry.page_number))  # fmt: skip
            pdf_.cell(14, TOC_ROW_MM, str(entry.page_number), align="R", new_x=XPos.LMARGIN,
                      new_y=YPos.NEXT)  # fmt: skip

    entries = bool(compilation.preface) + sum(
        (section.chapter is not None) + len(section.articles) for section in sections
    )
    # The 目录 starts on its own page after the cover and gets exactly the pages it
    # fills: a reserved page it does not use would print blank.
    pdf.add_page()
    pdf.insert_toc_placeholder(render_toc, pages=toc_pages(entries, pdf.eph))

    def heading(title, level):
        # A chapter starts a page, unless the page it would start is still empty.
        if level == 0 and pdf.get_y() > pdf.t_margin + 0.5:
            pdf.add_page()
        pdf.start_section(title, level=level)
        text(title, size=18 if level == 0 else 14, style="B", align="C" if level == 0 else "L",
             indent=False)  # fmt: skip
        pdf.ln(2)

    if compilation.preface:
        heading(PREFACE_TITLE, 0)
        for line in html_to_text(compilation.preface).splitlines():
            text(line)
    for section in sections:
        if section.chapter is not None:
            heading(section.chapter.title, 0)
            for line in (section.chapter.intro or "").splitlines():
                if line.strip():
                    text(line.strip())
        elif section.articles and pdf.get_y() > pdf.t_margin + 0.5:
            pdf.add_page()
        for article in section.articles:
            heading(article.title, 1)
            meta = article_meta(article)
            if meta:
                text(meta, size=10, align="C", indent=False, color=90)
            for line in (article.lead or "").splitlines():
                if line.strip():
                    text(line.strip())
            for item in body_items(article.body):
                if item[0] == "paragraph":
                    text(item[1])
                elif item[0] == "quote":
                    text(item[1], size=10.5, color=70)
                else:
                    image_block(item[1], item[3])
    return bytes(pdf.output())


def toc_pages(entries, usable_height):
    """How many pages a 目录 of ``entries`` one-line rows fills: the first page also
    holds the title."""
    rows = max(entries, 1)
    first = int((usable_height - TOC_TITLE_MM) // TOC_ROW_MM)
    following = int(usable_height // TOC_ROW_MM)
    if rows <= first:
        return 1
    return 1 + -(-(rows - first) // following)


EXPORTERS = {
    "docx": (
        export_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": (export_pdf, "application/pdf"),
}


def file_name(compilation, fmt):
    """A download name that keeps the Chinese title (RFC 6266 filename*)."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", compilation.title).strip("_") or slugify(
        compilation.slug
    )
    return f"{safe}.{fmt}"


def download_response(compilation, fmt, live_only=True):
    from urllib.parse import quote

    export, content_type = EXPORTERS[fmt]
    data = export(compilation, live_only=live_only)
    response = HttpResponse(data, content_type=content_type)
    name = file_name(compilation, fmt)
    ascii_name = f"compilation-{compilation.pk}.{fmt}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response
