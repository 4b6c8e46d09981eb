"""共驻共建协议书 as .docx, from the replaceable Word template (设置 › 文书模板).

The shipped default (``doctemplates/agreement.docx``, built by ``build_default_template``)
has the layout of seed 000 附件4: title, preamble naming both Party organisations, the
numbered clauses, then the two signature blocks side by side (the unit on the left, the
community on the right, as in the seed): 党组织（盖章）, 负责人（签字）, 年 月 日.
An office that words its agreements differently uploads its own template.
"""

import datetime
from pathlib import Path

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from gongjian_site import doctemplates

DOCX_TYPE = doctemplates.DOCX_TYPE
TEMPLATE_KEY = "cobuilding.agreement"
DEFAULT_TEMPLATE = Path(__file__).parent / "doctemplates" / "agreement.docx"

PLACEHOLDERS = {
    "title": _("协议标题"),
    "preamble": _("前言（留空时为标准前言，已写入双方党组织名称）"),
    "clauses": _("协议条款的列表，逐条循环：{%p for clause in clauses %}…{%p endfor %}"),
    "community_name": _("社区党组织名称"),
    "unit_name": _("驻区单位党组织名称"),
    "community_representative": _("社区党组织负责人"),
    "unit_representative": _("驻区单位党组织负责人"),
    "community_liaison": _("社区联络员（可能为空）"),
    "unit_liaison": _("单位联络员（可能为空）"),
    "valid_from": _("有效期开始日期（可能为空）"),
    "valid_until": _("有效期截止日期（可能为空）"),
    "signed_date": _("签订日期，如“2026 年 3 月 1 日”（未填时为“年 月 日”空格）"),
    "year": _("年度"),
}
REQUIRED = frozenset({"title", "clauses", "community_name", "unit_name"})


def _date_line(day):
    return f"{day.year} 年 {day.month} 月 {day.day} 日" if day else "年    月    日"


def context(agreement):
    """What the template is rendered with (the names of PLACEHOLDERS)."""
    return {
        "title": agreement.title,
        "preamble": agreement.preamble_text(),
        "clauses": agreement.clause_list(),
        "community_name": agreement.community_name,
        "unit_name": agreement.unit_name,
        "community_representative": agreement.community_representative,
        "unit_representative": agreement.unit_representative,
        "community_liaison": agreement.community_liaison,
        "unit_liaison": agreement.unit_liaison,
        "valid_from": agreement.valid_from.isoformat() if agreement.valid_from else "",
        "valid_until": agreement.valid_until.isoformat() if agreement.valid_until else "",
        "signed_date": _date_line(agreement.signed_on),
        "year": agreement.year,
    }


def sample_context():
    from .models import STANDARD_CLAUSES

    return {
        "title": "共驻共建协议书",
        "preamble": "示例前言：幸福里社区大党委与江安市第一人民医院党委开展共建活动……",
        "clauses": [f"{n}. {text}" for n, text in enumerate(STANDARD_CLAUSES, start=1)],
        "community_name": "幸福里社区大党委",
        "unit_name": "江安市第一人民医院党委",
        "community_representative": "王芳",
        "unit_representative": "李建国",
        "community_liaison": "赵敏",
        "unit_liaison": "",
        "valid_from": "2026-03-01",
        "valid_until": "",
        "signed_date": _date_line(datetime.date(2026, 3, 1)),
        "year": 2026,
    }


def _can_manage(user):
    # The district staff of the 共建清单管理员 group own the agreement's wording.
    return user.has_perm("cobuilding.change_agreement")


TEMPLATE_KIND = doctemplates.TemplateKind(
    key=TEMPLATE_KEY,
    label=_("共驻共建协议书"),
    owner=_("共建清单"),
    default_path=DEFAULT_TEMPLATE,
    placeholders=PLACEHOLDERS,
    required=REQUIRED,
    sample=sample_context,
    can_manage=_can_manage,
)


def export_docx(agreement):
    """The agreement as .docx bytes."""
    return doctemplates.render(TEMPLATE_KEY, context(agreement))


def docx_response(agreement):
    response = HttpResponse(export_docx(agreement), content_type=DOCX_TYPE)
    filename = f"共驻共建协议书-{agreement.community.title}-{agreement.unit.title}.docx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def build_default_template():
    """The shipped default as .docx bytes (scripts/build_doc_templates.py writes it)."""
    import io

    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = doctemplates.official_document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("{{ title }}")
    run.bold = True
    run.font.size = Pt(22)  # 二号
    run.font.name = doctemplates.TITLE_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), doctemplates.TITLE_FONT)

    def body(text):
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.first_line_indent = Pt(32)
        paragraph.paragraph_format.line_spacing = Pt(28)
        return paragraph

    body("{{ preamble }}")
    document.add_paragraph("{%p for clause in clauses %}")
    body("{{ clause }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if valid_from or valid_until %}")
    body("本协议有效期自 {{ valid_from or '签订之日' }} 至 {{ valid_until or '另行约定' }}。")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if community_liaison or unit_liaison %}")
    body(
        "联络员：社区 {{ community_liaison or '（待定）' }}；"
        "驻区单位 {{ unit_liaison or '（待定）' }}。"
    )
    document.add_paragraph("{%p endif %}")
    document.add_paragraph()
    rows = [
        ("驻区单位党组织（盖章）：{{ unit_name }}", "社区党组织（盖章）：{{ community_name }}"),
        ("负责人（签字）：{{ unit_representative }}",
         "负责人（签字）：{{ community_representative }}"),
        ("{{ signed_date }}", "{{ signed_date }}"),
    ]  # fmt: skip
    table = document.add_table(rows=len(rows), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for number, (left, right) in enumerate(rows):
        table.cell(number, 0).text = left
        table.cell(number, 1).text = right
        for cell in table.rows[number].cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(18)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
