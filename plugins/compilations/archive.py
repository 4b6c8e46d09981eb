"""Archive records of type ``compilation_article``, and .docx compilations.

A .jsonl article names no compilation of its own; it goes into the compilation its
``compilation`` field names (extra, optional) or else into "<year>年经验汇编（档案）",
made once per unit and year under the record's unit, in the chapter its optional
``chapter`` field names.
"""

from plugins.archive.blocks import body_from_text
from plugins.archive.importing import (
    add_page,
    existing_page,
    index_pages,
    move_if_needed,
    publish_fields,
)

from .importing import import_docx_file
from .models import CompilationArticlePage, CompilationChapterPage, CompilationPage


def _holder(model, source_id, parent, **fields):
    page = model.objects.filter(source_id=source_id).first()
    if page is None:
        page = model(source_id=source_id, **fields, **publish_fields())
        add_page(parent, page)
        index_pages([page])  # made once, while the import defers indexing
    return page


class CompilationArticleImporter:
    model = CompilationPage
    saves = (CompilationArticlePage, CompilationChapterPage)

    def import_record(self, record, parent):
        year = record.date.year if record.date else None
        title = str(record.extra.get("compilation") or f"{year or ''}年经验汇编（档案）")[:255]
        compilation = _holder(
            CompilationPage, f"jsonl:{parent.pk}:{title}"[:120], parent, title=title,
            **({"year": year} if year else {}),
        )  # fmt: skip
        holder = compilation
        chapter_title = str(record.extra.get("chapter") or "").strip()[:255]
        if chapter_title:
            holder = _holder(
                CompilationChapterPage, f"{compilation.source_id}:{chapter_title}"[:120],
                compilation, title=chapter_title,
            )  # fmt: skip
        page = existing_page(CompilationArticlePage, record.source_id)
        created = page is None
        if created:
            page = CompilationArticlePage(source_id=record.source_id, **publish_fields())
        else:
            page = move_if_needed(page, holder)
        page.title = record.title
        page.author = str(record.extra.get("author") or "")[:100]
        page.unit_name = parent.title[:255]
        page.body = body_from_text(record.body)
        if created:
            add_page(holder, page)
        else:
            page.save()
        return page, created


IMPORTERS = {"compilation_article": CompilationArticleImporter()}
FILE_IMPORTERS = {".docx": import_docx_file}
