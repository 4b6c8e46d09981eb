"""How archive records of type ``activity`` become activity pages (see plugins.archive)."""

from plugins.archive.blocks import body_from_text
from plugins.archive.importing import (
    RecordError,
    add_page,
    existing_page,
    move_if_needed,
    publish_fields,
    run_cache,
    tags_for,
)

from .models import ActivityKind, ActivityPage


class ActivityImporter:
    model = ActivityPage

    def kind_for(self, name):
        """The named kind, or 其他 when the record names none or an unknown one."""
        kinds = run_cache().setdefault("activity_kinds", {})
        if name not in kinds:
            kind = ActivityKind.objects.filter(name=name).first() if name else None
            kinds[name] = kind or ActivityKind.fallback()
        return kinds[name]

    def import_record(self, record, parent):
        if record.date is None:
            raise RecordError("活动记录必须有 date")
        page = existing_page(ActivityPage, record.source_id)
        created = page is None
        if not created:
            page = move_if_needed(page, parent)
        if created:
            page = ActivityPage(source_id=record.source_id, **publish_fields())
        page.title = record.title
        page.date = record.date
        page.kind = self.kind_for(record.extra.get("kind"))
        page.place = str(record.extra.get("place") or "")[:255]
        page.summary = str(record.extra.get("summary") or "")
        page.body = body_from_text(record.body)
        page.tags.set(tags_for(page, record.tags))
        if created:
            add_page(parent, page)
        else:
            page.save()
        return page, created


IMPORTERS = {"activity": ActivityImporter()}
