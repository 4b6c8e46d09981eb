"""文书模板: official documents rendered from Word templates an administrator can replace.

Offices word their documents their own way (a letterhead, a different closing, another
font), so the co-building agreement, the evaluation feedback letter and the compilation
cover are not laid out in code: each is a .docx with Jinja placeholders (docxtpl), shipped
as a default beside the plugin that owns it and replaceable in 设置 › 文书模板.

A plugin declares its document once, as a :class:`TemplateKind` returned from the Wagtail
hook ``register_document_template``: its placeholders (each with the Chinese words the
admin shows), which of them a template must keep, a sample context an upload is tried
with, and who besides superusers may replace it. An upload is stored in the database
(``DocumentTemplate``), never on the public media storage, and only after it rendered.

Templates are rendered in Jinja's sandbox with autoescaping: the people who upload them
are trusted with wording, not with running code on the server, and a value such as
"A&B" must not break the document's XML.
"""

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .textinput import strip_control_characters

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_BYTES = 5 * 2**20
MAX_UNCOMPRESSED_BYTES = 50 * 2**20

# GB/T 9704-2012 (党政机关公文格式): A4, top 37 mm, bottom 35 mm, binding (left) 28 mm,
# right 26 mm. Font names are the usual ones of official papers; Word falls back to what
# the reader has when one is missing.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
BODY_FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"


@dataclass(frozen=True)
class TemplateKind:
    """One replaceable document.

    ``placeholders`` maps every name the document is rendered with to its Chinese
    meaning; ``required`` are those a replacement must still use (a letter that does
    not name its addressee is no letter); ``sample`` returns a context to try an upload
    with; ``can_manage(user)`` says who besides superusers may replace it.
    """

    key: str
    label: str
    owner: str
    default_path: Path
    placeholders: dict
    required: frozenset
    sample: Any
    can_manage: Any = field(default=lambda user: False)

    def default_bytes(self):
        return Path(self.default_path).read_bytes()


@dataclass(frozen=True)
class Picture:
    """An image placed where its placeholder stands (``{{ name }}`` in its own run)."""

    stream: Any
    width_mm: float


class TemplateError(Exception):
    """An uploaded template that cannot be used; the messages are for the user."""

    def __init__(self, messages):
        super().__init__("；".join(messages))
        self.messages = list(messages)


def kinds():
    """Every registered document, in the order of the hooks (plugin order)."""
    from wagtail import hooks

    found = {}
    for hook in hooks.get_hooks("register_document_template"):
        kind = hook()
        found[kind.key] = kind
    return found


def get_kind(key):
    return kinds()[key]


def user_can_manage(user, kind):
    return user.is_active and (user.is_superuser or bool(kind.can_manage(user)))


def current_bytes(kind):
    """The template in use: the uploaded replacement, else the shipped default."""
    from .models import DocumentTemplate

    stored = DocumentTemplate.objects.filter(key=kind.key).values_list("data", flat=True).first()
    return bytes(stored) if stored else kind.default_bytes()


def _environment():
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=True)


def _clean(value, template):
    """Context values as docxtpl takes them: text without control characters (lxml
    refuses them), pictures as docxtpl InlineImages of this template."""
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, Picture):
        from docx.shared import Mm
        from docxtpl import InlineImage

        return InlineImage(template, value.stream, width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {key: _clean(item, template) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item, template) for item in value]
    return value


def render_bytes(data, context):
    """Render template bytes with ``context``; the .docx bytes."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(io.BytesIO(data))
    template.render(_clean(context, template), jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render(key, context):
    """The document ``key`` rendered from the template in use, as .docx bytes."""
    return render_bytes(current_bytes(get_kind(key)), context)


def _check_container(data):
    if not data:
        raise TemplateError([_("文件是空的，不是有效的 Word 文件（.docx）。")])
    if len(data) > MAX_BYTES:
        raise TemplateError([_("模板文件超过 %(mb)d MB 的上限。") % {"mb": MAX_BYTES // 2**20}])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise TemplateError(
            [_("不是有效的 Word 文件（.docx）：请在 Word 或 WPS 中另存为 .docx 格式后再上传。")]
        ) from None
    if "word/document.xml" not in names:
        raise TemplateError([_("文件中没有 Word 正文（word/document.xml），不是 .docx 文件。")])
    if total > MAX_UNCOMPRESSED_BYTES:
        raise TemplateError([_("模板文件解压后过大，请去掉其中的大图片后再上传。")])


def validate(kind, data):
    """Raise TemplateError (Chinese messages) unless ``data`` is a .docx template of
    ``kind`` that uses only its placeholders, keeps the required ones and renders."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError as JinjaError

    _check_container(data)
    try:
        template = DocxTemplate(io.BytesIO(data))
        used = template.get_undeclared_template_variables(_environment())
    except JinjaError as exc:
        raise TemplateError([_("模板中的占位符写法有误：%(error)s") % {"error": exc}]) from None
    except Exception as exc:  # noqa: BLE001 - whatever python-docx or lxml say is the reason
        raise TemplateError([_("无法读取这个 Word 文件：%(error)s") % {"error": exc}]) from None
    problems = []
    unknown = sorted(set(used) - set(kind.placeholders))
    missing = sorted(set(kind.required) - set(used))
    if unknown:
        problems.append(
            _("模板中有未知的占位符：%(names)s（可用的占位符见本页说明）")
            % {"names": "、".join("{{ " + name + " }}" for name in unknown)}
        )
    if missing:
        problems.append(
            _("模板缺少必需的占位符：%(names)s")
            % {"names": "、".join("{{ " + name + " }}" for name in missing)}
        )
    if problems:
        raise TemplateError(problems)
    try:
        rendered = render_bytes(data, kind.sample())
        from docx import Document

        Document(io.BytesIO(rendered))
    except Exception as exc:  # noqa: BLE001 - any failure to render refuses the upload
        raise TemplateError([_("用示例数据生成文书失败：%(error)s") % {"error": exc}]) from None


def save(kind, data, user, file_name=""):
    """Validate and store ``data`` as the template of ``kind`` (the old one stays when
    validation fails: TemplateError is raised before anything is written)."""
    from .models import DocumentTemplate

    validate(kind, data)
    DocumentTemplate.objects.update_or_create(
        key=kind.key,
        defaults={"data": data, "file_name": file_name[:200], "uploaded_by": user},
    )


def restore_default(kind):
    from .models import DocumentTemplate

    DocumentTemplate.objects.filter(key=kind.key).delete()


def official_document():
    """A python-docx Document set up as the defaults are: A4, GB/T 9704 margins,
    仿宋 三号 body. Used to build the shipped templates (scripts/build_doc_templates.py)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)  # 三号
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    return document
