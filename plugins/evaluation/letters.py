"""The feedback letter (评价结果反馈函) to a rated member's own unit, as .docx.

Dual management (双重管理): the member's unit counts the result in its own annual
appraisal of them, so the letter goes to the unit's Party organisation.
"""

from io import BytesIO

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from .grading import Grade


def feedback_letter(rating_round):
    """The letter for a closed round, as bytes of a .docx file."""
    report = rating_round.report
    appointment = report.appointment
    unit = appointment.source_unit
    committee = report.committee
    addressee = unit.party_organisation or f"{unit.title}党组织"
    person = report.person_name
    document = Document()
    heading = document.add_heading(
        f"关于{person}同志{report.year}年度述职测评结果的反馈函", level=1
    )
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"{addressee}：")
    grade = Grade(rating_round.grade).label if rating_round.grade else "测评无效（有效票未过半数）"
    document.add_paragraph(
        f"贵单位{person}同志担任{committee.title}{appointment.get_role_display()}"
        f"（分工：{appointment.division_of_work or '—'}）。根据兼职委员述职评议制度，"
        f"{committee.title}组织了{report.year}年度述职测评，现将结果反馈如下，"
        "请纳入其年度考核。"
    )
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = "项目"
    table.rows[0].cells[1].text = "结果"
    for label, value in [
        ("应参评人数", rating_round.invited),
        ("实际投票数", rating_round.votes_cast),
        ("优秀", rating_round.excellent),
        ("称职", rating_round.competent),
        ("基本称职", rating_round.basic),
        ("不称职", rating_round.incompetent),
        ("测评等次", grade),
    ]:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = str(value)
    if rating_round.grade == Grade.INCOMPETENT:
        document.add_paragraph(
            "该同志测评结果为不称职，本党组织将按程序研究并报上级党组织备案后办理免职，特此告知。"
        )
    document.add_paragraph("特此函告。")
    closing = document.add_paragraph(f"{committee.title}\n{timezone.localdate():%Y年%m月%d日}")
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
