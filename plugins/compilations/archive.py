"""Archive records of type ``compilation_article``, and .docx compilations.

A .jsonl article names no compilation of its own; it goes into the compilation its
``compilation`` field names (extra, optional) or else into "<year>年经验汇编（档案）",
made once per unit and year under the record's unit, in the chapter its optional
``chapter`` field names. The article keeps the record's date, tags and unit (its
``unit_name``), and its ``author`` and ``lead`` when given.
"""

from plugins.archive.api import (
    add_page,
    body_from_text,
    existing_page,
    index_pages,
    move_if_needed,
    publish_fields,
    remember_page,
    set_tags,
)

from .importing import import_docx_file
from .models import CompilationArticlePage, CompilationChapterPage, CompilationPage


def _holder(model, source_id, parent, **fields):
    """The compilation or chapter with ``source_id``, made when missing. One in the
    recycle bin is not filled again: ``existing_page`` skips (or restores) it."""
    page = existing_page(model, source_id)
    if page is None:
        page = model(source_id=source_id, **fields, **publish_fields())
        add_page(parent, page)
        remember_page(page)
        index_pages([page], created=[page.pk])  # made once, while the import defers indexing
    return page


class CompilationArticleImporter:
    model = CompilationPage
    #: the page a record becomes (its source id is the record's)
    record_model = CompilationArticlePage
    saves = (CompilationArticlePage, CompilationChapterPage)
    fields = {"compilation": (str,), "chapter": (str,), "author": (str,), "lead": (str,)}

    def import_record(self, record, parent):
        year = record.date.year if record.date else None
        title = (record.extra.get("compilation") or "").strip()[:255]
        title = title or f"{year or ''}年经验汇编（档案）"
        compilation = _holder(
            CompilationPage, f"jsonl:{parent.pk}:{title}"[:120], parent, title=title,
            **({"year": year} if year else {}),
        )  # fmt: skip
        holder = compilation
        chapter_title = (record.extra.get("chapter") or "").strip()[:255]
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
        page.date = record.date
        author = record.extra.get("author") or ""
        if len(author) > 100:
            record.note("作者", author[:20] + "…", "超过 100 个字符，已截断")
        page.author = author[:100]
        page.lead = record.extra.get("lead") or ""
        page.unit_name = parent.title[:255]
        page.body = body_from_text(record.body)
        set_tags(page, record.tags)
        if created:
            add_page(holder, page)
        else:
            page.save()
        return page, created


IMPORTERS = {"compilation_article": CompilationArticleImporter()}
FILE_IMPORTERS = {".docx": import_docx_file}
