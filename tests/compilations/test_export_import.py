"""Word and PDF exports, and Word import (including the round trip)."""

import io
import re

import pytest
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn

from plugins.archive.api import ArchiveSectionPage, body_text
from plugins.compilations.exporting import ExportError, cjk_font, export_docx, export_pdf
from plugins.compilations.importing import import_docx, read_docx
from plugins.compilations.models import CompilationArticlePage, CompilationPage

from .conftest import CHAPTERS, article_titles


def font_available():
    try:
        cjk_font()
    except ExportError:
        return False
    return True


needs_font = pytest.mark.skipif(
    not font_available(),
    reason="没有中文字体：请安装 fonts-noto-cjk（make install 会尝试安装）或设置 CJK_FONT_PATH",
)


def docx_of(compilation):
    return Document(io.BytesIO(export_docx(compilation)))


def test_docx_opens_with_all_titles_in_order_and_a_toc(compilation):
    document = docx_of(compilation)
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    expected = [("Heading 1", "前言")]
    for chapter, articles in CHAPTERS.items():
        expected.append(("Heading 1", chapter))
        expected.extend(("Heading 2", title) for title, *_ in articles)
    assert headings == expected
    assert document.paragraphs[0].style.name in {"Normal", "Title"}
    assert any(p.style.name == "Title" and p.text == compilation.title for p in document.paragraphs)
    instructions = [node.text for node in document.element.body.iter(qn("w:instrText"))]
    assert any(text.strip().startswith("TOC") for text in instructions)
    toc_entries = [p.text for p in document.paragraphs if p.style.name.startswith("toc")]
    assert toc_entries == ["前言", *[h[1] for h in expected[1:]]]


def test_docx_has_body_quote_and_captioned_image(compilation):
    document = docx_of(compilation)
    texts = [p.text for p in document.paragraphs]
    assert "坚持大事共议、实事共办。" in texts
    assert any(p.style.name == "Quote" for p in document.paragraphs)
    caption = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert [p.text for p in caption] == ["议事会现场照片"]
    # cover image + body image, the body one described by its alt text
    assert len(document.inline_shapes) == 2
    descriptions = [d.get("descr") for d in document.element.body.iter(qn("wp:docPr"))]
    assert "议事会现场" in descriptions
    assert "编印单位：中共江北区委" in texts


@needs_font
def test_pdf_text_contains_the_chinese_titles(compilation):
    from pypdf import PdfReader

    data = export_pdf(compilation)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    # fpdf2 embeds CFF-outline fonts (Noto CJK is one) with an embedded CMap as the
    # font's encoding, as PDF allows; pypdf reads such codes a byte at a time and leaves
    # a NUL before each character (its ToUnicode reading is right), so drop the NULs.
    raw = "".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"[\s\x00]+", "", raw)
    for title in [compilation.title, "目录", "前言", *CHAPTERS, *article_titles()]:
        assert re.sub(r"\s+", "", title) in text, title
    embedded = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"]
                if "/FontFile2" in descriptor or "/FontFile3" in descriptor:
                    embedded.add(str(font["/BaseFont"]))
    assert any("CJK" in name for name in embedded), embedded  # a real, embedded CJK font
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "一、组织建设篇" in outline


def test_pdf_without_a_font_says_what_to_install(compilation, settings, tmp_path):
    settings.CJK_FONT_PATH = str(tmp_path / "missing.ttc")
    with pytest.raises(ExportError, match="fonts-noto-cjk"):
        export_pdf(compilation)


def summary(compilation):
    """Chapters, and for each article its title, author, unit and full text."""
    return [
        (s.chapter.title, [(a.title, a.author, a.unit_name, body_text(a.body)) for a in s.articles])
        for s in compilation.outline()
    ]


def test_export_then_import_round_trip_keeps_titles_and_texts(compilation, tmp_path):
    path = tmp_path / "round-trip.docx"
    path.write_bytes(export_docx(compilation))
    report = import_docx(path, unit="jiangbei")
    assert report.errors == [] and report.unassigned == []
    copy = CompilationPage.objects.get(source_id="docx:round-trip.docx")
    assert copy.pk != compilation.pk and copy.title == compilation.title and copy.year == 2020
    assert copy.editor_unit_id == compilation.editor_unit_id
    assert summary(copy) == summary(compilation)
    assert "这是前言第二段。" in copy.preface
    image_article = CompilationArticlePage.objects.descendant_of(copy).get(
        title=article_titles()[0]
    )
    images = [b.value for b in image_article.body if b.block_type == "image"]
    assert [i["caption"] for i in images] == ["议事会现场照片"] and images[0]["alt_text"]


def test_docx_reimport_updates_in_place(compilation, tmp_path):
    path = tmp_path / "again.docx"
    path.write_bytes(export_docx(compilation))
    import_docx(path, unit="jiangbei")
    before = set(CompilationArticlePage.objects.values_list("pk", flat=True))
    report = import_docx(path, unit="jiangbei")
    assert report.created == 0 and report.updated == 1 + len(article_titles())
    assert set(CompilationArticlePage.objects.values_list("pk", flat=True)) == before
    assert CompilationPage.objects.filter(source_id="docx:again.docx").count() == 1


def test_hand_made_word_file_with_one_heading_level(demo, tmp_path):
    document = Document()
    document.add_paragraph("2016年光明社区经验汇编", style="Title")
    document.add_paragraph("编印单位：光明社区大党委")
    document.add_heading("第一篇文章", level=1)
    document.add_paragraph("正文一")
    document.add_heading("第二篇文章", level=1)
    document.add_paragraph("正文二")
    path = tmp_path / "old.docx"
    document.save(path)
    out = io.StringIO()
    call_command("import_archive", str(path), stdout=out)
    compilation = CompilationPage.objects.get(source_id="docx:old.docx")
    assert compilation.year == 2016 and compilation.get_parent().slug == "guangming"
    sections = compilation.outline()
    assert [(s.chapter, [a.title for a in s.articles]) for s in sections] == [
        (None, ["第一篇文章", "第二篇文章"])]  # fmt: skip
    assert "新建 3 条" in out.getvalue()


def test_word_file_with_no_known_unit_goes_to_unassigned(demo, tmp_path):
    document = Document()
    document.add_heading("唯一的文章", level=1)
    path = tmp_path / "nowhere.docx"
    document.save(path)
    report = import_docx(path)
    assert report.unassigned
    assert (
        CompilationPage.objects.get(source_id="docx:nowhere.docx").get_parent().specific_class
        is ArchiveSectionPage
    )


def test_not_a_word_file_is_reported_not_raised(demo, tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"not a zip")
    report = import_docx(path)
    assert report.errors and "不是有效的 Word 文件" in report.errors[0][1]


def test_read_docx_skips_the_table_of_contents(compilation):
    path = io.BytesIO(export_docx(compilation))
    parsed = read_docx(path)
    assert [c.title for c in parsed.chapters] == list(CHAPTERS)
    assert parsed.preface == ["这是前言第一段。", "这是前言第二段。"]


@needs_font
def test_pdf_downloads_from_admin_and_public_page(admin_client_demo, compilation):
    admin = admin_client_demo.get(f"/admin/compilations/{compilation.pk}/export/pdf/")
    assert admin.status_code == 200 and admin["Content-Type"] == "application/pdf"
    public = admin_client_demo.get(compilation.url + "export/pdf/")
    assert public.status_code == 200 and public.content.startswith(b"%PDF")


def test_missing_font_in_admin_is_a_message_not_a_500(
    admin_client_demo, compilation, settings, tmp_path
):
    settings.CJK_FONT_PATH = str(tmp_path / "missing.ttc")
    response = admin_client_demo.get(
        f"/admin/compilations/{compilation.pk}/export/pdf/", follow=True
    )
    assert response.status_code == 200
    assert "fonts-noto-cjk" in response.content.decode()
    public = admin_client_demo.get(compilation.url + "export/pdf/")
    assert public.status_code == 503 and "fonts-noto-cjk" in public.content.decode()
