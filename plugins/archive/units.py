"""Unit resolution: which organisation page a record's ``unit`` names, and the 未归属
section where records whose unit names none wait for an editor."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from plugins.orgs.models import CityPage, OrganisationPage

from .models import UNASSIGNED_SLUG, UNASSIGNED_TITLE, ArchiveSectionPage
from .pagewriter import add_page, publish_fields
from .run import bin_path, run_cache


class UnitResolver:
    """Finds the organisation page a record's ``unit`` names, from one query.

    ``unit`` is a '/'-separated path of slugs or titles, read from the top but allowed
    to start at any level (``jiangbei/xinhua/xingfuli`` and ``xinhua/xingfuli`` both
    work), or a single name. It must name exactly one organisation: an ambiguous name
    is no better than an unknown one.
    """

    def __init__(self):
        rows = OrganisationPage.objects.values_list(
            "id", "path", "slug", "title", "content_type_id"
        )
        binned = bin_path()
        if binned:
            # a deleted organisation takes no records: they would land in the bin
            rows = rows.exclude(path__startswith=binned)
        self.by_path = {}
        self.by_name = {}
        for row in rows:
            self.by_path[row[1]] = row
            for name in {row[2], row[3]}:
                self.by_name.setdefault(name, []).append(row)
        self._cache = {}

    def resolve(self, unit):
        """(page id, page class) or (None, reason in Chinese)."""
        unit = (unit or "").strip()
        if unit not in self._cache:
            self._cache[unit] = self._resolve(unit)
        return self._cache[unit]

    def _resolve(self, unit):
        if not unit:
            return None, "没有填写单位"
        segments = [segment.strip() for segment in unit.strip("/").split("/") if segment.strip()]
        if not segments:
            return None, "单位只有分隔符“/”，没有名称"
        matches = [
            row
            for row in self.by_name.get(segments[-1], [])
            if self._chain_ends_with(row, segments)
        ]
        if not matches:
            return None, "找不到该单位"
        if len(matches) > 1:
            return None, f"有 {len(matches)} 个同名组织，请写出上级路径"
        row = matches[0]
        return row[0], ContentType.objects.get_for_id(row[4]).model_class()

    def _chain_ends_with(self, row, segments):
        path = row[1]
        for segment in reversed(segments):
            node = self.by_path.get(path)
            if node is None or segment not in (node[2], node[3]):
                return False
            path = path[: -Page.steplen]
        return True


def resolve_unit(unit):
    """``UnitResolver().resolve(unit)``, with one resolver per import."""
    cache = run_cache()
    if "resolver" not in cache:
        cache["resolver"] = UnitResolver()
    return cache["resolver"].resolve(unit)


def unassigned_section():
    """The 未归属 section under the first city (or the tree root), created when missing."""
    city = CityPage.objects.order_by("path").first()
    parent = city if city is not None else Page.get_first_root_node()
    section = ArchiveSectionPage.objects.child_of(parent).first()
    if section is None:
        section = ArchiveSectionPage(
            title=UNASSIGNED_TITLE,
            slug=UNASSIGNED_SLUG,
            intro="导入档案时找不到所属组织的记录放在这里，请编辑人员移动到正确的组织下。",
            **publish_fields(),
        )
        add_page(parent, section)
    return section
