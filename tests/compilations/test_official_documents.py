"""Compilations print as official papers: A4 with GB/T 9704 margins, numbered pages, a
目录 whose numbers are the pages, no blank page, and the cases' cover pictures."""

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from plugins.cases.models import CasePage
from plugins.compilations.exporting import (
    MARGINS_MM,
    TOC_TITLE,
    cjk_font,
    export_docx,
    export_pdf,
    toc_pages,
)
from plugins.compilations.exporting import ExportError as _ExportError
from plugins.compilations.pulling import pull_cases

pytestmark = pytest.mark.django_db


def font_available():
    try:
        cjk_font()
    except _ExportError:
        return False
    return True


needs_font = pytest.mark.skipif(not font_available(), reason="no CJK font (fonts-noto-cjk)")


def pdf_pages(data):
    return [page.extract_text().replace("\x00", "") for page in PdfReader(io.BytesIO(data)).pages]


def test_docx_is_a4_with_official_margins_and_page_numbers(compilation):
    document = Document(io.BytesIO(export_docx(compilation)))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == MARGINS_MM["top"]
    assert round(section.bottom_margin.mm) == MARGINS_MM["bottom"]
    assert round(section.left_margin.mm) == MARGINS_MM["left"]
    assert round(section.right_margin.mm) == MARGINS_MM["right"]
    # The footer holds a PAGE field between dashes; the cover page has none.
    footer = section.footer.paragraphs[0]
    instructions = [el.text.strip() for el in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"] and footer.text.startswith("— ")
    assert section.different_first_page_header_footer


@needs_font
def test_pdf_is_a4_without_blank_pages_and_numbered(compilation):
    data = export_pdf(compilation)
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        assert (
            round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
        )
    pages = pdf_pages(data)
    assert all(text.strip() for text in pages), "a blank page"
    assert "— 1 —" not in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert f"— {number} —" in text


@needs_font
def test_pdf_table_of_contents_cites_the_right_pages(compilation):
    pages = pdf_pages(export_pdf(compilation))
    toc_page = next(i for i, text in enumerate(pages) if TOC_TITLE in text.splitlines())
    assert toc_page == 1  # right after the cover
    entries = re.findall(r"^(.+?)\s*(\d+)$", pages[toc_page], re.M)
    entries = [(title.strip(), int(n)) for title, n in entries if not title.startswith("—")]
    assert len(entries) >= 6
    for title, number in entries:
        assert title.rstrip("…") in pages[number - 1], (title, number)


@needs_font
def test_a_long_table_of_contents_gets_exactly_its_pages(compilation):
    from plugins.archive.api import publish_fields
    from plugins.compilations.models import CompilationArticlePage, CompilationChapterPage

    chapter = CompilationChapterPage.objects.child_of(compilation).first()
    for n in range(45):
        chapter.add_child(
            instance=CompilationArticlePage(title=f"补充文章第{n + 1}篇", **publish_fields())
        )
    pages = pdf_pages(export_pdf(compilation))
    assert all(text.strip() for text in pages)
    toc = [
        i
        for i, text in enumerate(pages)
        if "补充文章第1篇" in text and re.search(r"补充文章第1篇\s*\d+", text)
    ]
    assert toc == [1]
    for number, text in enumerate(pages[1:], start=2):
        assert f"— {number} —" in text


@pytest.mark.parametrize(("entries", "pages"), [(0, 1), (1, 1), (26, 1), (27, 2), (54, 2), (55, 3)])
def test_toc_pages_counts_rows(entries, pages):
    # 225 mm: 26 rows under the title on the first page, 28 on each following page.
    usable = 297 - MARGINS_MM["top"] - MARGINS_MM["bottom"]
    assert toc_pages(entries, usable) == pages


def test_a_pulled_case_keeps_its_cover_picture_in_the_article_and_both_files(compilation, image):
    case = CasePage.objects.live().filter(recommended=True).first()
    case.cover_image = image
    case.save_revision().publish()
    (article,) = pull_cases(compilation, [case], new_chapter_title="三、典型案例篇")
    article.refresh_from_db()
    first = article.body[0]
    assert first.block_type == "image" and first.value["image"].pk == image.pk
    assert first.value["alt_text"] == case.title

    document = Document(io.BytesIO(export_docx(compilation)))
    described = [el.get("descr") for el in document.element.body.iter(qn("wp:docPr"))]
    assert case.title in described


@needs_font
def test_the_pulled_cover_is_printed_in_the_pdf(compilation, image):
    case = CasePage.objects.live().filter(recommended=True).first()
    case.cover_image = image
    case.save_revision().publish()
    pull_cases(compilation, [case], new_chapter_title="三、典型案例篇")
    reader = PdfReader(io.BytesIO(export_pdf(compilation)))
    # The last page naming the case is its article (the first is the 目录).
    page = [p for p in reader.pages if case.title[:8] in p.extract_text().replace("\x00", "")][-1]
    assert page.images, "no picture on the case's page"
