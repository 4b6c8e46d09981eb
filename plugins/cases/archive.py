"""How archive records of type ``case`` become typical case pages (see plugins.archive)."""

from plugins.archive.blocks import body_from_text
from plugins.archive.importing import (
    add_page,
    existing_page,
    move_if_needed,
    publish_fields,
    tags_for,
)

from .models import CasePage


class CaseImporter:
    model = CasePage

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
        page.lead = str(record.extra.get("lead") or "")
        page.author = str(record.extra.get("author") or "")[:100]
        page.source = str(record.extra.get("source") or "")[:255]
        page.recommended = bool(record.extra.get("recommended", page.recommended))
        page.body = body_from_text(record.body)
        page.tags.set(tags_for(page, record.tags))
        if created:
            add_page(parent, page)
        else:
            page.save()
        return page, created


IMPORTERS = {"case": CaseImporter()}
