"""设置 › 文书模板: the agreement, the feedback letter and the compilation cover come from
Word templates an office can download, replace (validated) and restore."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from gongjian_site import doctemplates
from gongjian_site.models import DocumentTemplate
from plugins.cobuilding.models import Agreement
from plugins.compilations.exporting import export_docx
from plugins.compilations.models import CompilationPage
from plugins.evaluation.letters import feedback_letter
from plugins.evaluation.models import AnnualReport, RatingRound
from plugins.orgs.models import CommunityPage, DistrictPage
from tests.conftest import login

pytestmark = pytest.mark.django_db

INDEX = "/admin/doc-templates/"
AGREEMENT = "cobuilding.agreement"
LETTER = "evaluation.feedback_letter"
COVER = "compilations.cover"


def texts(data):
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return document, paragraphs, cells


def assert_official_a4(document):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin,
               section.right_margin)  # fmt: skip
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]


@pytest.fixture
def agreement(demo):
    return Agreement.objects.select_related("community", "unit").first()


@pytest.fixture
def rating_round(demo):
    user = get_user_model().objects.get(username="member_a")
    community = CommunityPage.objects.get(title="幸福里社区大党委")
    report = AnnualReport.objects.create(
        user=user, committee=community, year=timezone.localdate().year, body="<p>述职</p>"
    )
    return RatingRound.objects.create(
        report=report, closes_at=timezone.now() + timedelta(days=7), invited=3,
        excellent=2, competent=1, grade="excellent",
    )  # fmt: skip


@pytest.fixture
def compilation(demo):
    district = DistrictPage.objects.get(slug="jiangbei")
    page = CompilationPage(title="2026年社区党建创新经验汇编", year=2026, editor_unit=district)
    district.add_child(instance=page)
    return page


def edited(data, *lines):
    """``data`` with ``lines`` added as paragraphs at the end, as an office edits in Word."""
    document = Document(io.BytesIO(data))
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, key, data, name="模板.docx"):
    return client.post(
        f"{INDEX}{key}/upload/", {"file": SimpleUploadedFile(name, data)}, follow=True
    )


MESSAGE_RE = r'<li class="[^"]*(?:success|error)[^"]*"[^>]*>(.*?)</li>'


def message_texts(response):
    """The messages shown on the page the upload redirected to."""
    import html
    import re

    body = html.unescape(response.content.decode())
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip()
        for item in re.findall(MESSAGE_RE, body, re.S)
    ]


def test_agreement_renders_from_the_default_template(client, agreement):
    login(client, "admin")
    response = client.get(f"/admin/cobuilding/agreement/docx/{agreement.pk}/")
    document, paragraphs, cells = texts(response.content)
    assert_official_a4(document)
    assert paragraphs[0] == agreement.title
    assert agreement.clause_list()[0] in paragraphs
    assert not any("{{" in text or "{%" in text for text in paragraphs + cells)
    assert cells[0] == f"驻区单位党组织（盖章）：{agreement.unit_name}"
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋"


def test_feedback_letter_renders_from_the_default_template(rating_round):
    document, paragraphs, cells = texts(feedback_letter(rating_round))
    assert_official_a4(document)
    person = rating_round.report.user.get_full_name()
    user = rating_round.report.user
    assert person == f"{user.last_name}{user.first_name}"  # family name first
    assert paragraphs[0] == f"关于{person}同志{rating_round.report.year}年度述职测评结果的反馈函"
    assert any(p.startswith(f"贵单位{person}同志担任幸福里社区大党委") for p in paragraphs)
    assert cells[:2] == ["项目", "结果"] and cells[-2:] == ["测评等次", "优秀"]
    assert "不称职" not in "".join(paragraphs)  # the removal note is for INCOMPETENT only
    assert not any("{{" in text or "{%" in text for text in paragraphs + cells)


def test_compilation_cover_renders_from_the_default_template(compilation):
    document, paragraphs, _cells = texts(export_docx(compilation, live_only=False))
    assert_official_a4(document)
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert title.text == compilation.title
    assert "2026年" in paragraphs and "编印单位：中共江北区委" in "".join(paragraphs)


def test_superuser_replaces_each_template_and_restores_the_default(
    client, agreement, rating_round, compilation
):
    login(client, "admin")
    page = client.get(INDEX)
    assert page.status_code == 200
    body = page.content.decode()
    for label in ("共驻共建协议书", "述职测评结果反馈函", "经验汇编封面"):
        assert label in body

    for key, line in [
        (AGREEMENT, "江北区共建办制：{{ unit_name }}"),
        (LETTER, "江北区委组织部（抄送{{ unit }}）"),
        (COVER, "内部资料 注意保存 {{ year }}"),
    ]:
        current = client.get(f"{INDEX}{key}/download/")
        assert current.status_code == 200
        response = upload(client, key, edited(current.content, line))
        assert response.status_code == 200
        assert any("已更换" in text for text in message_texts(response))
    assert DocumentTemplate.objects.count() == 3

    agreement_doc = client.get(f"/admin/cobuilding/agreement/docx/{agreement.pk}/")
    document, paragraphs, _cells = texts(agreement_doc.content)
    assert f"江北区共建办制：{agreement.unit_name}" in paragraphs
    assert_official_a4(document)  # the page set-up travels with the template
    document, paragraphs, _cells = texts(feedback_letter(rating_round))
    unit = rating_round.report.appointment.source_unit.title
    assert f"江北区委组织部（抄送{unit}）" in paragraphs
    document, paragraphs, _cells = texts(export_docx(compilation, live_only=False))
    assert "内部资料 注意保存 2026" in paragraphs
    assert paragraphs.index("内部资料 注意保存 2026") < paragraphs.index("目录")

    response = client.post(f"{INDEX}{LETTER}/restore/", follow=True)
    assert any("已恢复为默认模板" in text for text in message_texts(response))
    _document, paragraphs, _cells = texts(feedback_letter(rating_round))
    assert not any("抄送" in p for p in paragraphs)
    default = client.get(f"{INDEX}{LETTER}/download/").content
    assert default == doctemplates.get_kind(LETTER).default_bytes()


def test_a_broken_upload_is_refused_with_the_reason_and_the_old_template_kept(client, rating_round):
    login(client, "admin")
    default = client.get(f"{INDEX}{LETTER}/download/").content
    assert upload(client, LETTER, edited(default, "正式版 {{ person }}")).status_code == 200
    kept = bytes(DocumentTemplate.objects.get(key=LETTER).data)

    # An unknown placeholder, and the addressee left out.
    document = Document(io.BytesIO(default))
    for paragraph in document.paragraphs:
        if "{{ addressee }}" in paragraph.text:
            paragraph.runs[0].text = "各有关单位："
    document.add_paragraph("{{ 单位公章 }} {{ seal }}")
    out = io.BytesIO()
    document.save(out)
    response = upload(client, LETTER, out.getvalue())
    assert response.status_code == 200
    (message,) = [text for text in message_texts(response) if "未更换" in text]
    assert "未更换" in message and "未知的占位符" in message
    assert "{{ seal }}" in message and "{{ 单位公章 }}" in message
    assert "缺少必需的占位符：{{ addressee }}" in message

    # Not Word at all; a .doc; broken Jinja; an empty file.
    cases = [
        (b"PK\x03\x04 not really a zip", "模板.docx", "不是有效的 Word 文件"),
        (b"\xd0\xcf\x11\xe0 old word", "模板.doc", "只接受 Word 的 .docx 文件"),
        (edited(default, "{{ person "), "模板.docx", "占位符写法有误"),
        (edited(default, "{% for row in results %}"), "模板.docx", "占位符写法有误"),
    ]
    for data, name, expected in cases:
        response = upload(client, LETTER, data, name)
        assert response.status_code == 200, name
        assert any(expected in text for text in message_texts(response)), (name, expected)
    assert bytes(DocumentTemplate.objects.get(key=LETTER).data) == kept
    _document, paragraphs, _cells = texts(feedback_letter(rating_round))
    assert f"正式版 {rating_round.report.person_name}" in paragraphs


def test_a_template_cannot_reach_into_the_server(client, rating_round):
    """Uploaders are trusted with wording only: Jinja runs in its sandbox, and values are
    escaped, so a name with & or < still makes a valid document."""
    login(client, "admin")
    default = client.get(f"{INDEX}{LETTER}/download/").content
    sneaky = edited(default, "{{ person.__class__.__mro__ }}")
    upload(client, LETTER, sneaky)
    unit = rating_round.report.appointment.source_unit
    unit.title = "A&B <医院>"
    unit.party_organisation = ""
    unit.save()
    _document, paragraphs, _cells = texts(feedback_letter(rating_round))
    assert "A&B <医院>党组织：" in paragraphs
    assert not any("object" in p for p in paragraphs)


def test_offices_manage_only_their_own_documents(client, demo):
    orgdept = get_user_model().objects.get(username="orgdept")
    orgdept.groups.add(Group.objects.get(name="考核评价管理"))
    login(client, "orgdept")
    body = client.get(INDEX).content.decode()
    assert "述职测评结果反馈函" in body and "共驻共建协议书" not in body
    assert client.get(f"{INDEX}{AGREEMENT}/download/").status_code in (302, 403)

    login(client, "publicity")  # district editor: compiles and prints
    body = client.get(INDEX).content.decode()
    assert "经验汇编封面" in body and "述职测评结果反馈函" not in body
    assert "/admin/doc-templates/" in client.get("/admin/").content.decode()

    login(client, "member_a")
    assert client.get(INDEX).status_code in (302, 403)
    assert "/admin/doc-templates/" not in client.get("/admin/").content.decode()
    assert client.post(f"{INDEX}{LETTER}/restore/").status_code in (302, 403)
    assert client.get(f"{INDEX}nonsense/download/").status_code in (403, 404)
