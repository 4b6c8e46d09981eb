"""共驻共建协议书 as .docx, in the layout of seed 000 附件4.

Title, preamble naming both Party organisations, the numbered clauses, then the two
signature blocks side by side (the unit on the left, the community on the right, as
in the seed): 党组织（盖章）, 负责人（签字）, 年 月 日.

Every text goes through ``strip_control_characters``: lxml refuses control characters,
and a record stored with one must still export (a 500 helps nobody sign anything).
"""

import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from gongjian_site.textinput import strip_control_characters

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"


def _date_line(day):
    return f"{day.year} 年 {day.month} 月 {day.day} 日" if day else "年    月    日"


def signature_blocks(agreement):
    """The two blocks as lists of lines: (unit side, community side)."""
    unit = [
        f"驻区单位党组织（盖章）：{agreement.unit_name}",
        f"负责人（签字）：{agreement.unit_representative}",
        _date_line(agreement.signed_on),
    ]
    community = [
        f"社区党组织（盖章）：{agreement.community_name}",
        f"负责人（签字）：{agreement.community_representative}",
        _date_line(agreement.signed_on),
    ]
    return unit, community


def export_docx(agreement):
    """The agreement as .docx bytes."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    # GB/T 9704 official-document margins on A4.
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)  # 三号
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(strip_control_characters(agreement.title))
    run.bold = True
    run.font.size = Pt(22)  # 二号
    run.font.name = TITLE_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), TITLE_FONT)

    def body(text):
        paragraph = document.add_paragraph(strip_control_characters(text))
        paragraph.paragraph_format.first_line_indent = Pt(32)
        paragraph.paragraph_format.line_spacing = Pt(28)
        return paragraph

    body(agreement.preamble_text())
    for clause in agreement.clause_list():
        body(clause)
    if agreement.valid_from or agreement.valid_until:
        start = agreement.valid_from.isoformat() if agreement.valid_from else "签订之日"
        end = agreement.valid_until.isoformat() if agreement.valid_until else "另行约定"
        body(f"本协议有效期自 {start} 至 {end}。")
    if agreement.community_liaison or agreement.unit_liaison:
        body(f"联络员：社区 {agreement.community_liaison or '（待定）'}；"
             f"驻区单位 {agreement.unit_liaison or '（待定）'}。")  # fmt: skip

    document.add_paragraph()
    unit_lines, community_lines = signature_blocks(agreement)
    table = document.add_table(rows=len(unit_lines), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, (left, right) in enumerate(zip(unit_lines, community_lines, strict=True)):
        table.cell(row, 0).text = strip_control_characters(left)
        table.cell(row, 1).text = strip_control_characters(right)
        for cell in table.rows[row].cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(18)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_response(agreement):
    response = HttpResponse(export_docx(agreement), content_type=DOCX_TYPE)
    filename = f"共驻共建协议书-{agreement.community.title}-{agreement.unit.title}.docx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
