"""How archive records of type ``activity`` become activity pages (see plugins.archive).

Besides the common fields an activity record may carry ``kind`` (an activity kind's
name), ``place``, ``summary``, ``outcome``, ``participant_count``, ``end_date`` and
``participating_units`` (unit paths or names, as ``unit``). What cannot be placed (an
unknown kind, a participating unit that is not a resident unit) is kept as far as it
can be and noted in the import report, never dropped silently.
"""

import datetime

from plugins.archive.api import (
    RecordError,
    add_page,
    body_from_text,
    existing_page,
    move_if_needed,
    publish_fields,
    resolve_unit,
    run_cache,
    set_tags,
)
from plugins.orgs.models import ResidentUnitPage

from .models import ActivityKind, ActivityPage


class ActivityImporter:
    model = ActivityPage
    #: type-specific fields and the JSON types they may have (checked before import)
    fields = {
        "kind": (str,),
        "place": (str,),
        "summary": (str,),
        "outcome": (str,),
        "participant_count": (int,),
        "end_date": (str,),
        "participating_units": (list,),
    }

    def kind_for(self, record):
        """The named kind, or 其他 (noted) when the record names an unknown one."""
        name = (record.extra.get("kind") or "").strip()
        kinds = run_cache().setdefault("activity_kinds", {})
        if name not in kinds:
            kind = ActivityKind.objects.filter(name=name).first() if name else None
            kinds[name] = kind
        kind = kinds[name]
        if kind is None:
            if None not in kinds:
                kinds[None] = ActivityKind.fallback()
            fallback = kinds[None]
            if name:
                record.note("活动类型", name, f"没有这个活动类型，记为“{fallback.name}”")
            return fallback
        return kind

    def units_for(self, record):
        """The resident units the record names; the ones that resolve to none, noted."""
        found = []
        for name in record.extra.get("participating_units") or []:
            page_id, cls = resolve_unit(name)
            if page_id is None:
                record.note("参与单位", name, cls)
            elif not issubclass(cls, ResidentUnitPage):
                record.note("参与单位", name, "不是驻区单位，参与单位只能是驻区单位")
            elif page_id not in found:
                found.append(page_id)
        return found

    def import_record(self, record, parent):
        if record.date is None:
            raise RecordError("活动记录必须有 date")
        end_date = None
        if record.extra.get("end_date"):
            try:
                end_date = datetime.date.fromisoformat(record.extra["end_date"])
            except ValueError as exc:
                raise RecordError("end_date 不是 YYYY-MM-DD 格式的日期") from exc
        count = record.extra.get("participant_count")
        if count is not None and not 0 <= count <= 2_147_483_647:
            raise RecordError("participant_count 必须是非负整数")
        page = existing_page(ActivityPage, record.source_id)
        created = page is None
        if not created:
            page = move_if_needed(page, parent)
        if created:
            page = ActivityPage(source_id=record.source_id, **publish_fields())
        page.title = record.title
        page.date = record.date
        page.end_date = end_date
        page.kind = self.kind_for(record)
        place = record.extra.get("place") or ""
        if len(place) > 255:
            record.note("活动地点", place[:20] + "…", "超过 255 个字符，已截断")
        page.place = place[:255]
        page.summary = record.extra.get("summary") or ""
        page.outcome = record.extra.get("outcome") or ""
        page.participant_count = count
        page.body = body_from_text(record.body)
        set_tags(page, record.tags)
        unit_ids = self.units_for(record)
        if unit_ids or not created:  # a new page with none has nothing to write
            units = ResidentUnitPage.objects.in_bulk(unit_ids) if unit_ids else {}
            page.participating_units.set([units[pk] for pk in unit_ids])
        if created:
            add_page(parent, page)
        else:
            page.save()
        return page, created


IMPORTERS = {"activity": ActivityImporter()}
