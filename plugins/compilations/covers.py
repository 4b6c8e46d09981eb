"""The cover of a compilation's Word file (经验汇编封面), from a replaceable Word template.

The Word export (``exporting.export_docx``) starts from the rendered cover: its page
setup, footer and styles are the whole document's, so an office that uploads its own
cover (设置 › 文书模板: a letterhead, its own fonts) prints the whole compilation in its
layout. The shipped default (``doctemplates/cover.docx``, ``build_default_template``) is
A4 with GB/T 9704 margins and "— page —" in the footer of every page but the cover.
The PDF export draws the same cover lines (``cover_lines``) itself.
"""

import io
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from gongjian_site import doctemplates

TEMPLATE_KEY = "compilations.cover"
DEFAULT_TEMPLATE = Path(__file__).parent / "doctemplates" / "cover.docx"
COVER_IMAGE_MM = 140

PLACEHOLDERS = {
    "title": _("汇编标题（请放在“标题”样式的段落中，Word 导入据此识别汇编标题）"),
    "year": _("年份"),
    "editor_unit": _("编印单位（可能为空）"),
    "cover_image": _("封面图片（可能为空，用 {%p if cover_image %} 判断）"),
    "lines": _("封面上标题下的各行（年份、编印单位），逐行循环"),
}
REQUIRED = frozenset({"title"})


def cover_lines(compilation):
    lines = [f"{compilation.year}年"]
    if compilation.editor_unit_id:
        lines.append(f"编印单位：{compilation.editor_unit.title}")
    return lines


def _image_stream(image):
    """The original file of a Wagtail image, or None if it is missing from storage."""
    try:
        with image.file.open("rb") as handle:
            return io.BytesIO(handle.read())
    except (OSError, ValueError):
        return None


def context(compilation):
    """What the cover template is rendered with (the names of PLACEHOLDERS)."""
    picture = ""
    if compilation.cover_image_id:
        stream = _image_stream(compilation.cover_image)
        if stream is not None:
            picture = doctemplates.Picture(stream, COVER_IMAGE_MM)
    return {
        "title": compilation.title,
        "year": compilation.year,
        "editor_unit": compilation.editor_unit.title if compilation.editor_unit_id else "",
        "cover_image": picture,
        "lines": cover_lines(compilation),
    }


def sample_context():
    return {
        "title": "社区党建创新经验汇编",
        "year": 2026,
        "editor_unit": "中共江北区委组织部",
        "cover_image": "",
        "lines": ["2026年", "编印单位：中共江北区委组织部"],
    }


def _can_manage(user):
    # The publicity staff who compile and print: editors of a district's pages.
    from wagtail.models import Page
    from wagtail.permissions import policy_registry

    from plugins.orgs.models import DistrictPage

    editable = policy_registry.get_by_type(Page).instances_user_has_any_permission_for(
        user, {"change"}
    )
    return editable.type(DistrictPage).exists()


TEMPLATE_KIND = doctemplates.TemplateKind(
    key=TEMPLATE_KEY,
    label=_("经验汇编封面"),
    owner=_("经验汇编"),
    default_path=DEFAULT_TEMPLATE,
    placeholders=PLACEHOLDERS,
    required=REQUIRED,
    sample=sample_context,
    can_manage=_can_manage,
)


def render_cover(compilation):
    """The cover as .docx bytes, the first page of the Word export."""
    return doctemplates.render(TEMPLATE_KEY, context(compilation))


# --- the shipped default -------------------------------------------------------


def build_default_template():
    """The shipped default as .docx bytes (scripts/build_doc_templates.py writes it):
    the cover page, the styles the export uses, and the numbered footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = doctemplates.official_document()
    styles = document.styles
    _set_east_asian_font(styles["Normal"], "宋体")
    for name in ("Title", "Heading 1", "Heading 2", "TOC Heading"):
        _set_east_asian_font(styles[name], doctemplates.HEADING_FONT)
    _numbered_footer(document)
    paragraphs = [
        ("{%p if cover_image %}", None),
        ("{{ cover_image }}", None),
        ("{%p endif %}", None),
        ("{{ title }}", "Title"),
        ("{%p for line in lines %}", None),
        ("{{ line }}", None),
        ("{%p endfor %}", None),
    ]
    for text, style in paragraphs:
        document.add_paragraph(text, style=style).alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _set_east_asian_font(style, name):
    from docx.oxml.ns import qn

    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _numbered_footer(document):
    """ "— page —" centred in the footer of every page but the cover (a Word PAGE field,
    so Word numbers the pages it lays out)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section = document.sections[0]
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    for kind in ("begin", "instr", "separate", "text", "end"):
        run = footer.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        elif kind == "text":
            run.text = "1"
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
    footer.add_run(" —")
