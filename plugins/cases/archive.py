"""How archive records of type ``case`` become typical case pages (see plugins.archive).

Besides the common fields a case record may carry ``lead``, ``author``, ``source`` and
``recommended``; over-long text is cut to fit and noted in the report.
"""

from plugins.archive.api import (
    add_page,
    body_from_text,
    existing_page,
    move_if_needed,
    publish_fields,
    set_tags,
)

from .models import CasePage


def fitted(record, what, value, size):
    """``value`` cut to ``size`` characters, noting it in the report when it was cut."""
    value = value or ""
    if len(value) > size:
        record.note(what, value[:20] + "…", f"超过 {size} 个字符，已截断")
    return value[:size]


class CaseImporter:
    model = CasePage
    fields = {"lead": (str,), "author": (str,), "source": (str,), "recommended": (bool,)}

    def import_record(self, record, parent):
        page = existing_page(CasePage, record.source_id)
        created = page is None
        if not created:
            page = move_if_needed(page, parent)
        if created:
            page = CasePage(source_id=record.source_id, **publish_fields())
        page.title = record.title
        if record.date:
            page.date = record.date
        elif created:
            record.note("日期", "未填写", "记为导入当天")
        page.lead = record.extra.get("lead") or ""
        page.author = fitted(record, "作者", record.extra.get("author"), 100)
        page.source = fitted(record, "来源", record.extra.get("source"), 255)
        page.recommended = bool(record.extra.get("recommended", page.recommended))
        page.body = body_from_text(record.body)
        set_tags(page, record.tags)
        if created:
            add_page(parent, page)
        else:
            page.save()
        return page, created


IMPORTERS = {"case": CaseImporter()}
