"""The feedback letter (评价结果反馈函) to a rated member's own unit, as .docx.

Dual management (双重管理): the member's unit counts the result in its own annual
appraisal of them, so the letter goes to the unit's Party organisation. Its wording is a
Word template the organisation department can replace (设置 › 文书模板); the shipped
default is ``doctemplates/feedback_letter.docx`` (``build_default_template``).
"""

import datetime
import io
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian_site import doctemplates

from .grading import Grade

TEMPLATE_KEY = "evaluation.feedback_letter"
DEFAULT_TEMPLATE = Path(__file__).parent / "doctemplates" / "feedback_letter.docx"
INVALID = "测评无效（有效票未过半数）"

PLACEHOLDERS = {
    "title": _("函的标题，如“关于王建国同志2026年度述职测评结果的反馈函”"),
    "addressee": _("收函的单位党组织"),
    "person": _("被测评人姓名（姓在前）"),
    "unit": _("被测评人所在单位"),
    "committee": _("组织测评的党组织"),
    "role": _("任职（兼职委员或联络员）"),
    "division": _("分工"),
    "year": _("测评年度"),
    "grade": _("测评等次"),
    "results": _("结果表的行，逐行循环：{%tr for row in results %}，每行有 row.label、row.value"),
    "incompetent": _("是否不称职（用于 {%p if incompetent %}）"),
    "date": _("发函日期，如“2026年03月01日”"),
}
REQUIRED = frozenset({"addressee", "person"})


def context(rating_round):
    """What the template is rendered with (the names of PLACEHOLDERS)."""
    report = rating_round.report
    appointment = report.appointment
    unit = appointment.source_unit
    committee = report.committee
    person = report.person_name
    grade = Grade(rating_round.grade).label if rating_round.grade else INVALID
    return {
        "title": f"关于{person}同志{report.year}年度述职测评结果的反馈函",
        "addressee": unit.party_organisation or f"{unit.title}党组织",
        "person": person,
        "unit": unit.title,
        "committee": committee.title,
        "role": str(appointment.get_role_display()),
        "division": appointment.division_of_work or "—",
        "year": report.year,
        "grade": str(grade),
        "results": [
            {"label": label, "value": str(value)}
            for label, value in [
                ("应参评人数", rating_round.invited),
                ("实际投票数", rating_round.votes_cast),
                ("优秀", rating_round.excellent),
                ("称职", rating_round.competent),
                ("基本称职", rating_round.basic),
                ("不称职", rating_round.incompetent),
                ("测评等次", grade),
            ]
        ],
        "incompetent": rating_round.grade == Grade.INCOMPETENT,
        "date": f"{timezone.localdate():%Y年%m月%d日}",
    }


def sample_context():
    rows = [("应参评人数", 9), ("实际投票数", 8), ("优秀", 5), ("称职", 3), ("基本称职", 0),
            ("不称职", 0), ("测评等次", "优秀")]  # fmt: skip
    return {
        "title": "关于王建国同志2026年度述职测评结果的反馈函",
        "addressee": "江安市第一人民医院党委",
        "person": "王建国",
        "unit": "江安市第一人民医院",
        "committee": "幸福里社区大党委",
        "role": "兼职委员",
        "division": "健康服务",
        "year": 2026,
        "grade": "优秀",
        "results": [{"label": label, "value": str(value)} for label, value in rows],
        "incompetent": False,
        "date": f"{datetime.date(2026, 3, 1):%Y年%m月%d日}",
    }


def _can_manage(user):
    # The 考核评价管理 group (the district organisation department) sends the letters.
    return user.has_perm("evaluation.change_ratinground")


TEMPLATE_KIND = doctemplates.TemplateKind(
    key=TEMPLATE_KEY,
    label=_("述职测评结果反馈函"),
    owner=_("考核评价"),
    default_path=DEFAULT_TEMPLATE,
    placeholders=PLACEHOLDERS,
    required=REQUIRED,
    sample=sample_context,
    can_manage=_can_manage,
)


def feedback_letter(rating_round):
    """The letter for a closed round, as bytes of a .docx file."""
    return doctemplates.render(TEMPLATE_KEY, context(rating_round))


def build_default_template():
    """The shipped default as .docx bytes (scripts/build_doc_templates.py writes it)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = doctemplates.official_document()
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run("{{ title }}")
    run.font.size = Pt(22)  # 二号
    run.font.name = doctemplates.TITLE_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), doctemplates.TITLE_FONT)
    document.add_paragraph("{{ addressee }}：")

    def body(text):
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.first_line_indent = Pt(32)
        return paragraph

    body(
        "贵单位{{ person }}同志担任{{ committee }}{{ role }}（分工：{{ division }}）。"
        "根据兼职委员述职评议制度，{{ committee }}组织了{{ year }}年度述职测评，"
        "现将结果反馈如下，请纳入其年度考核。"
    )
    table = document.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    cells = [("项目", "结果"), ("{%tr for row in results %}", ""),
             ("{{ row.label }}", "{{ row.value }}"), ("{%tr endfor %}", "")]  # fmt: skip
    for number, (left, right) in enumerate(cells):
        table.cell(number, 0).text = left
        table.cell(number, 1).text = right
    document.add_paragraph("{%p if incompetent %}")
    body("该同志测评结果为不称职，本党组织将按程序研究并报上级党组织备案后办理免职，特此告知。")
    document.add_paragraph("{%p endif %}")
    body("特此函告。")
    for line in ("{{ committee }}", "{{ date }}"):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
