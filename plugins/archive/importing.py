"""Importing archives: the `.jsonl` contract of DESIGN.md and the registry of importers.

Each publicity plugin offers an ``archive`` module with ``IMPORTERS`` (record type ->
importer) and optionally ``FILE_IMPORTERS`` (file suffix -> function), so this plugin
never imports theirs and a new record type is one entry in its own plugin.

An importer has a ``model`` (the page type it makes, used to check where it may
live) and ``import_record(record, parent) -> (page, created)`` (created is False when
it updated the page with the same source id).
"""

import codecs
import datetime
import json
import re
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import F, prefetch_related_objects
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.models import get_all_child_relations
from taggit.managers import TaggableManager
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_registry
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.search.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update

from gongjian_site import changes
from gongjian_site.plugins import plugin_hooks
from plugins.orgs.models import CityPage, OrganisationPage

from .models import UNASSIGNED_SLUG, UNASSIGNED_TITLE, ArchiveSectionPage


class RecordError(Exception):
    """A record that cannot be imported; the message is shown to the user as is."""


class RecordSkipped(Exception):
    """A record deliberately left alone (its page is in the recycle bin); the message
    says why, and the report lists it apart from the errors."""


@dataclass
class Record:
    """One archive record, validated: what every importer receives."""

    line: int
    source_id: str
    type: str
    title: str
    body: str = ""
    date: datetime.date | None = None
    unit: str = ""
    tags: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    #: (what, value, why) for each part of the record the importer could not place
    #: (an unknown participating unit, an unknown activity kind ...)
    notes: list = field(default_factory=list)

    def note(self, what, value, why):
        """Record that ``what`` (``value``) was not kept as given, and why."""
        self.notes.append((what, value, why))


@dataclass
class ImportReport:
    """What an import did, line by line where something needs a person's attention."""

    created: int = 0
    updated: int = 0
    #: (line, source id, unit as given, why it was not placed)
    unassigned: list = field(default_factory=list)
    #: (line, message)
    errors: list = field(default_factory=list)
    #: (line, source id, why it was left alone): pages in the recycle bin
    skipped: list = field(default_factory=list)
    #: (line, source id): binned pages brought back by --restore-deleted
    restored: list = field(default_factory=list)
    #: (line, source id, what, value, why): fields kept only in part
    notes: list = field(default_factory=list)
    #: (first line, last line, message): batches that did not commit
    failed_batches: list = field(default_factory=list)
    #: records left alone by --resume because an earlier run imported them
    already: int = 0

    @property
    def imported(self):
        return self.created + self.updated

    @property
    def ok(self):
        return not (self.errors or self.failed_batches)

    def summary(self):
        text = (
            f"导入完成：新建 {self.created} 条，更新 {self.updated} 条，"
            f"其中未归属 {len(self.unassigned)} 条，错误 {len(self.errors)} 行"
        )
        if self.skipped:
            text += f"，跳过回收站中的 {len(self.skipped)} 条"
        if self.restored:
            text += f"，从回收站恢复 {len(self.restored)} 条"
        if self.already:
            text += f"，此前已导入而略过 {self.already} 条"
        if self.failed_batches:
            lost = sum(last - first + 1 for first, last, _message in self.failed_batches)
            text += f"，{len(self.failed_batches)} 批（{lost} 行）未能提交"
        return text

    def write(self, stdout):
        """Print the summary, then every record that needs a person's attention."""
        stdout.write(self.summary())

        def where(line, source_id):
            return f"第 {line} 行（{source_id}）" if line else source_id

        for line, source_id, unit, reason in self.unassigned:
            unit = unit or "未填写"
            stdout.write(f"  {where(line, source_id)}放入“{UNASSIGNED_TITLE}”：{reason}（{unit}）")
        for line, source_id, what, value, reason in self.notes:
            stdout.write(f"  {where(line, source_id)}{what}“{value}”：{reason}")
        for line, source_id, reason in self.skipped:
            stdout.write(f"  {where(line, source_id)}已跳过：{reason}")
        for line, source_id in self.restored:
            stdout.write(f"  {where(line, source_id)}已从回收站恢复并更新")
        for line, message in self.errors:
            # line 0: a whole file (a .docx), not one line of it
            stdout.write(f"  第 {line} 行：{message}" if line else f"  {message}")
        for first, last, message in self.failed_batches:
            stdout.write(
                f"  第 {first}–{last} 行这一批未能提交（{message}），其中的记录都没有导入；"
                "排除原因后重新运行同一命令即可续导（按来源编号，已导入的不会重复）"
            )


def limit(name):
    """One of the resource limits of imports (``ARCHIVE_IMPORT_LIMITS`` overrides them):
    a hostile or broken file must end in a message, not in a machine out of memory."""
    value = getattr(settings, "ARCHIVE_IMPORT_LIMITS", {}).get(name)
    return DEFAULT_LIMITS[name] if value is None else value


DEFAULT_LIMITS = {
    # .jsonl: one line (one record) at most, in bytes
    "line_bytes": 2 * 1024 * 1024,
    # .docx: the file itself, its parts once uncompressed, how many parts it has,
    # how much one part may grow when uncompressed, and one picture's pixels
    "docx_bytes": 200 * 1024 * 1024,
    "docx_uncompressed_bytes": 500 * 1024 * 1024,
    "docx_parts": 5000,
    "docx_ratio": 500,
    # one XML part once uncompressed: lxml holds a parsed part at several times its size
    "docx_xml_part_bytes": 64 * 1024 * 1024,
    "image_pixels": 40_000_000,
    # pages (chapters and articles) committed together by the .docx import
    "docx_batch": 500,
}


def importers():
    """Record type -> importer, gathered from every installed plugin."""
    found = {}
    for _config, registry in plugin_hooks("archive", "IMPORTERS"):
        found.update(registry)
    return found


def file_importers():
    """File suffix (".docx") -> import function(path, report, stdout, unit), from the plugins."""
    found = {}
    for _config, registry in plugin_hooks("archive", "FILE_IMPORTERS"):
        found.update(registry)
    return found


def publish_fields():
    """Field values that make a page created outside the editor published.

    Imports write the live page directly, without a revision per record: that keeps
    10,000 records a matter of a minute or two, and editors who open such a page get
    its live content as the starting point, as with any page made in code.
    """
    now = timezone.now()
    return {"live": True, "has_unpublished_changes": False,
            "first_published_at": now, "last_published_at": now}  # fmt: skip


_run = threading.local()


@contextmanager
def import_run(restore_deleted=False, resume=False):
    """Per-import memory (each parent's last child and child slugs, looked-up records)
    that ``add_page`` and the importers use to save queries; gone when the import ends.

    ``restore_deleted``: a record whose page is in the recycle bin brings it back
    (otherwise it is skipped); ``resume``: a record imported by an earlier run is left
    as it is (to finish an interrupted import quickly)."""
    _run.options = {"restore_deleted": restore_deleted, "resume": resume}
    _reset_run()
    try:
        yield
    finally:
        for name in ("tree", "cache", "pending", "options"):
            if hasattr(_run, name):
                delattr(_run, name)


def _reset_run():
    """Forget what the run remembers of the database: after a batch rolled back, the
    remembered child paths, source ids and tags may name rows that no longer exist."""
    _run.tree = {}
    _run.cache = {}
    _run.pending = {"logs": [], "numchild": [], "tagged": []}


def run_option(name):
    """An option of the current import (False outside imports)."""
    return getattr(_run, "options", {}).get(name, False)


def _pending_mark():
    """Where the not yet written bookkeeping stands (to drop a rolled-back record's)."""
    pending = getattr(_run, "pending", None)
    return None if pending is None else {key: len(rows) for key, rows in pending.items()}


def _pending_rollback(mark):
    """Forget the bookkeeping queued since ``mark``: its record's savepoint rolled back."""
    pending = getattr(_run, "pending", None)
    if pending is None or mark is None:
        return
    # a tag made inside the rolled-back savepoint is gone: look tags up afresh
    for key in [key for key in _run.cache if isinstance(key, tuple) and key[0] == "tags"]:
        del _run.cache[key]
    for key, rows in pending.items():
        if key == "numchild":
            # the parents' in-memory counts were raised with them
            for parent in rows[mark[key] :]:
                parent.numchild -= 1
        del rows[mark[key] :]


def flush_pending():
    """Write what ``add_page`` queued: the parents' child counts (one UPDATE per parent)
    and the pages' creation log entries (one bulk INSERT). Call inside the transaction
    that saved the pages; ``import_jsonl`` does so before each batch commits."""
    pending = getattr(_run, "pending", None)
    if pending is None:
        return
    counts = {}
    for parent in pending["numchild"]:
        counts[parent.pk] = counts.get(parent.pk, 0) + 1
    for parent_pk, added in counts.items():
        Page.objects.filter(pk=parent_pk).update(numchild=F("numchild") + added)
    by_model = {}
    for entry in pending["logs"]:
        by_model.setdefault(type(entry), []).append(entry)
    for model, entries in by_model.items():
        model.objects.bulk_create(entries, batch_size=500)
    by_model = {}
    for item in pending["tagged"]:
        by_model.setdefault(type(item), []).append(item)
    for model, items in by_model.items():
        model.objects.bulk_create(items, batch_size=500)
    for rows in pending.values():
        rows.clear()


def _creation_log_entry(page):
    """The unsaved "wagtail.create" log entry ``Page.save`` would write for a new page.

    ``Page.save`` logs a creation through ``log()``, which validates and INSERTs one
    entry per page (a fifth of a page's save). This builds the same entry as
    ``BaseLogEntryManager.log_action`` does (log model from the public log registry,
    user and uuid from the active log context, label from the admin display title),
    so ``flush_pending`` can write a batch of them in one INSERT.
    """
    model = log_registry.get_log_model_for_instance(page)
    if model is None:
        return None
    context = get_active_log_context()
    return model(
        content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
        label=page.get_admin_display_title(),
        action="wagtail.create",
        timestamp=timezone.now(),
        data={},
        user=page.owner or context.user,
        uuid=context.uuid,
        content_changed=True,
        page=page,
    )


def run_cache():
    """A dict that lives as long as the current import (a fresh one outside imports)."""
    return getattr(_run, "cache", {})


def forget_children(parent):
    """Drop what the import remembers of ``parent``'s children (after a move into it)."""
    getattr(_run, "tree", {}).pop(parent.pk, None)


def add_page(parent, page):
    """Add the new, valid ``page`` as ``parent``'s last child, as ``add_child`` does.

    Inside an import, it remembers each parent's last child path and child slugs and
    saves without Wagtail's full validation, which costs a dozen queries a page; the
    importers validate what they set (lengths, required fields) themselves. Outside
    an import, it is plain ``add_child``.
    """
    tree = getattr(_run, "tree", None)
    if tree is None:
        parent.add_child(instance=page)
        return page
    depth = parent.depth + 1
    if parent.pk not in tree:
        rows = Page.objects.filter(path__startswith=parent.path, depth=depth).values_list(
            "path", "slug"
        )
        rows = list(rows)
        tree[parent.pk] = [max((path for path, _slug in rows), default=None),
                           {slug for _path, slug in rows}]  # fmt: skip
    last, slugs = tree[parent.pk]
    if last:
        path = Page(path=last, depth=depth)._inc_path()
    else:
        path = Page._get_path(parent.path, depth, 1)
    base = slugify(page.title, allow_unicode=True)[:200] or "page"
    slug, number = base, 1
    while slug in slugs:
        number += 1
        slug = f"{base}-{number}"
    page.slug, page.path, page.depth, page.numchild = slug, path, depth, 0
    page.draft_title = page.title
    page.locale_id = parent.locale_id
    page._cached_parent_obj = parent  # Page.save derives url_path from it
    # Page.save asks the database whether the page roots a site (a query a page); a new
    # page has a fresh translation key, which no site can point at yet. _is_site_root is
    # the attribute Wagtail's own PageQuerySet.annotate_site_root_state sets for this.
    page._is_site_root = False
    # The creation log entry and the parent's child count are written per batch by
    # flush_pending (see _creation_log_entry).
    page.save(clean=False, log_action=None)
    del page._is_site_root
    entry = _creation_log_entry(page)
    if entry is not None:
        _run.pending["logs"].append(entry)
    tags = page.__dict__.pop("_import_tags", None)
    if tags:
        through = page.tags.through
        _run.pending["tagged"] += [through(tag=tag, content_object=page) for tag in tags]
    _run.pending["numchild"].append(parent)
    parent.numchild += 1
    tree[parent.pk][0] = path
    slugs.add(slug)
    return page


def set_tags(page, names):
    """Give ``page`` the tags ``names``, as ``page.tags.set()`` would.

    A page new in this import gets them written by ``flush_pending`` in one bulk
    INSERT per batch, instead of the DELETE and one INSERT per tag that committing
    the page's tag relation costs on each save."""
    tags = tags_for(page, names)
    if page.pk is None and getattr(_run, "pending", None) is not None:
        if tags:
            page._import_tags = tags
        return
    page.tags.set(tags)


def tags_for(page, names):
    """What to pass to ``page.tags.set()`` for ``names``: inside an import, the tag
    objects, each looked up (or made) once per import, as taggit itself would (name
    match, ``get_or_create``), so a record's tags cost no query; the names otherwise."""
    cache = getattr(_run, "cache", None)
    if cache is None or getattr(settings, "TAGGIT_CASE_INSENSITIVE", False):
        return list(names)
    tag_model = page.tags.through.tag_model()
    known = cache.setdefault(("tags", tag_model), {})
    missing = [name for name in names if name not in known]
    if missing:
        for tag in tag_model._default_manager.filter(name__in=missing):
            known[tag.name] = tag
        for name in missing:
            if name not in known:
                known[name] = tag_model._default_manager.get_or_create(name=name)[0]
    return [known[name] for name in names]


def bin_path():
    """The recycle bin's tree path ("" when the bin plugin is not installed or has no
    bin yet): pages below it were deleted by a user and must not be matched."""
    cache = getattr(_run, "cache", None)
    if cache is not None and "bin_path" in cache:
        return cache["bin_path"]
    path = ""
    if apps.is_installed("plugins.recyclebin"):
        from plugins.recyclebin.models import RecycleBinPage

        path = RecycleBinPage.objects.values_list("path", flat=True).first() or ""
    if cache is not None:
        cache["bin_path"] = path
    return path


def in_bin(page):
    path = bin_path()
    return bool(path) and page.path.startswith(path)


def not_binned(page):
    """``page`` itself when it is not in the recycle bin.

    A binned page was deleted by a user: reviving it silently would put it back live
    while its bin entry stays (and the daily purge would then delete the live page).
    It raises RecordSkipped, or with ``--restore-deleted`` restores the page through
    the bin (entry removed, restore logged) and returns it from its old place.
    """
    if page is None or not in_bin(page):
        return page
    if not run_option("restore_deleted"):
        raise RecordSkipped(
            f"页面“{page.title}”已被删除，在回收站中；导入不会恢复它"
            "（如需恢复，请在回收站中恢复，或使用 --restore-deleted）"
        )
    from plugins.recyclebin.models import BinEntry, RestoreError, restore

    entry = BinEntry.objects.filter(page_id=page.pk).first()
    if entry is None:
        # Deleted with a page above it: restoring would bring back more than this record.
        raise RecordSkipped(
            f"页面“{page.title}”随其上级页面一起在回收站中；请在回收站中恢复其上级页面"
        )
    try:
        restore(entry)
    except RestoreError as exc:
        raise RecordSkipped(f"页面“{page.title}”在回收站中，无法恢复：{exc}") from exc
    # The restore moved a subtree: every remembered child list may be stale.
    _run.tree = {}
    restored = getattr(_run, "restored", None)
    if restored is not None:
        restored.append(page.pk)
    return type(page).objects.get(pk=page.pk)


def existing_page(model, source_id):
    """The ``model`` page imported earlier with ``source_id``, or None; RecordSkipped
    when that page is in the recycle bin (see ``not_binned``).

    Inside an import, the source ids of a model are read once, so new records (the
    common case) cost no query here."""
    cache = getattr(_run, "cache", None)
    if cache is None:
        return not_binned(model.objects.filter(source_id=source_id).first())
    known = cache.get(("source_ids", model))
    if known is None:
        known = cache[("source_ids", model)] = dict(
            model.objects.exclude(source_id=None).values_list("source_id", "pk")
        )
    if source_id not in known:
        return None
    return not_binned(model.objects.filter(pk=known[source_id]).first())


def imported_before(model, source_id):
    """Whether a ``model`` page with ``source_id`` exists (for ``--resume``)."""
    cache = run_cache()
    known = cache.get(("source_ids", model))
    if known is None:
        known = cache[("source_ids", model)] = dict(
            model.objects.exclude(source_id=None).values_list("source_id", "pk")
        )
    return source_id in known


def remember_page(page):
    """Note a page just imported, for ``existing_page`` later in the same import."""
    cache = getattr(_run, "cache", None)
    if cache is not None and ("source_ids", type(page)) in cache:
        cache[("source_ids", type(page))][page.source_id] = page.pk


def move_if_needed(page, parent):
    """``page`` under ``parent``; re-read after a move, which rewrites its tree fields.

    Call before changing any field: a move saves and reloads the page."""
    if page.path[: -Page.steplen] == parent.path:
        return page
    page.move(parent, pos="last-child")
    forget_children(parent)
    return type(page).objects.get(pk=page.pk)


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


#: The record's fields every type shares, with the Python types JSON may give them.
COMMON_FIELDS = {
    "id": (str, int),
    "type": (str,),
    "title": (str,),
    "body": (str,),
    "date": (str,),
    "unit": (str,),
    "tags": (list,),
}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TYPE_NAMES = {str: "文本", int: "整数", list: "列表", bool: "true/false", dict: "对象"}


def _check_type(name, value, types):
    # bool is an int to Python, never an id or a count to a person
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        wanted = "或".join(TYPE_NAMES.get(t, t.__name__) for t in types)
        raise RecordError(
            f"{name} 必须是{wanted}，而不是 {json.dumps(value, ensure_ascii=False)[:40]}"
        )


def _check_text(name, value):
    """Text the database can store: no NUL (PostgreSQL refuses it) and no lone UTF-16
    surrogate (``"\\ud800"`` is valid JSON but no valid UTF-8)."""
    if "\x00" in value:
        raise RecordError(f"{name} 含有 NUL 字符（\\u0000），无法保存")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise RecordError(f"{name} 含有无效的 Unicode 字符（单独的代理项）") from exc


def _check_strings(name, value):
    if isinstance(value, str):
        _check_text(name, value)
    elif isinstance(value, list):
        for item in value:
            _check_strings(name, item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(name, key)
            _check_strings(name, item)


def parse_line(line_no, text, known_types):
    """A validated Record from one line of a .jsonl file, or RecordError saying why not.

    ``known_types``: record type -> importer; an importer's ``fields`` (name -> types)
    declares the type-specific fields it reads, checked here like the common ones.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"不是有效的 JSON（{exc.msg}，第 {exc.colno} 列）") from exc
    except RecursionError as exc:
        raise RecordError("JSON 嵌套过深") from exc
    if not isinstance(data, dict):
        raise RecordError("每行必须是一个 JSON 对象")
    missing = [
        name for name in ("id", "type", "title")
        if data.get(name) is None or (isinstance(data[name], str) and not data[name].strip())
    ]  # fmt: skip
    if missing:
        raise RecordError(f"缺少必填字段：{'、'.join(missing)}")
    for name, types in COMMON_FIELDS.items():
        if data.get(name) is not None:
            _check_type(name, data[name], types)
    kind = data["type"]
    if kind not in known_types:
        raise RecordError(f"type 必须是 {'、'.join(sorted(known_types))} 之一，而不是“{kind}”")
    for name, types in getattr(known_types[kind], "fields", {}).items():
        if data.get(name) is not None:
            _check_type(name, data[name], types)
            if list in types and not all(isinstance(item, str) for item in data[name]):
                raise RecordError(f"{name} 必须是字符串列表")
    for name, value in data.items():
        _check_strings(name, value)
    when = data.get("date")
    if when in (None, ""):
        parsed = None
    else:
        try:
            if not DATE.fullmatch(when):
                raise ValueError(when)
            parsed = datetime.date.fromisoformat(when)
        except ValueError as exc:
            raise RecordError(f"date 不是 YYYY-MM-DD 格式的日期：“{when[:40]}”") from exc
        if parsed.year < 1900:
            raise RecordError(f"date 早于 1900 年：“{when}”")
    tags = data.get("tags") or []
    if not all(isinstance(tag, str) for tag in tags):
        raise RecordError("tags 必须是字符串列表")
    title = data["title"].strip()
    if not title:
        raise RecordError("缺少必填字段：title")
    if len(title) > 255:
        raise RecordError("title 超过 255 个字符")
    source_id = str(data["id"]).strip()
    if not source_id:
        raise RecordError("缺少必填字段：id")
    if len(source_id) > 120:
        # cutting it could make two records one
        raise RecordError("id 超过 120 个字符")
    too_long = [tag for tag in tags if len(tag.strip()) > 100]
    if too_long:
        raise RecordError(f"标签超过 100 个字符：“{too_long[0][:20]}…”")
    known = {"id", "type", "title", "body", "date", "unit", "tags"}
    names = []
    for tag in tags:
        if tag.strip() and tag.strip() not in names:
            names.append(tag.strip())
    return Record(
        line=line_no,
        source_id=source_id,
        type=kind,
        title=title,
        body=data.get("body") or "",
        date=parsed,
        unit=data.get("unit") or "",
        tags=names,
        extra={key: value for key, value in data.items() if key not in known},
    )


def _message(exc):
    if isinstance(exc, ValidationError):
        if hasattr(exc, "message_dict"):
            return "；".join(
                f"{name}：{'，'.join(msgs)}" for name, msgs in exc.message_dict.items()
            )
        return "；".join(str(message) for message in exc.messages)
    return str(exc)


class Progress:
    """A one-line progress bar on a terminal, a line every 10% elsewhere."""

    def __init__(self, total, stream=None, enabled=True):
        self.total = max(total, 1)
        self.stream = stream or sys.stderr
        self.enabled = enabled and total >= 100
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self.last_decile = 0

    def update(self, done):
        if not self.enabled:
            return
        rate = done / max(time.monotonic() - self.started, 1e-6)
        share = done / self.total
        if self.tty:
            if done % 25 and done != self.total:
                return
            bar = "#" * int(share * 30)
            self.stream.write(f"\r导入中 [{bar:<30}] {done}/{self.total} {rate:.0f} 条/秒")
            if done == self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif int(share * 10) > self.last_decile:
            self.last_decile = int(share * 10)
            self.stream.write(f"导入中 {done}/{self.total}（{share:.0%}）{rate:.0f} 条/秒\n")


@contextmanager
def deferred_indexing(models):
    """Skip the search and reference index updates each save would make; the caller
    indexes in bulk instead (``index_pages``).

    Per save, the SQLite search backend also renormalises every title in the index,
    so indexing 10,000 imported pages one by one gets slower with every page. This
    disconnects a process-wide signal: meant for commands, not for web requests.
    """
    disconnected = [
        model for model in models if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)


def _prefetch_relations(model, pages):
    """Read the child objects (tagged items ...) and tags of ``pages`` in one query per
    relation, for the indexes below, which otherwise query them page by page."""
    names = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
    names += [
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, TaggableManager) and field.name not in names
    ]
    fresh = [page for page in pages if not getattr(page, "_cluster_related_objects", None)]
    if names and fresh:
        prefetch_related_objects(fresh, *names)


def create_references(pages):
    """Reference-index pages created in this import, in one bulk INSERT.

    Gives the rows ``ReferenceIndex.create_or_update_for_object`` would, without its
    two queries a page for existing rows to keep or delete: a page made in this run
    has none. Wagtail has no public way to list an object's references, so this uses
    ``ReferenceIndex._extract_references_from_object`` and ``_get_content_path_hash``,
    the same methods ``create_or_update_for_object`` is built from.
    """
    rows = []
    for page in pages:
        types = [
            ContentType.objects.get_for_model(model_or_object, for_concrete_model=False)
            for model_or_object in [page, *page._meta.get_parent_list()]
        ]
        references = set(ReferenceIndex._extract_references_from_object(page))
        rows += [
            ReferenceIndex(
                content_type=types[0],
                base_content_type=types[-1],
                object_id=page.pk,
                to_content_type_id=to_content_type_id,
                to_object_id=to_object_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for to_content_type_id, to_object_id, model_path, content_path in references
        ]
    ignore = {"ignore_conflicts": True} if connection.features.supports_ignore_conflicts else {}
    ReferenceIndex.objects.bulk_create(rows, batch_size=500, **ignore)


def index_pages(pages, created=()):
    """Wagtail-search-index (in one bulk call per page type) and reference-index
    ``pages``. ``created``: the ids of pages made in this import, whose references are
    written in bulk (``create_references``). The archive search and the page cache
    follow the saves themselves (gongjian_site.changes, gathered per batch)."""
    by_model = {}
    for page in pages:
        by_model.setdefault(type(page), {})[page.pk] = page
    for model, found in by_model.items():
        _prefetch_relations(model, list(found.values()))
    created = set(created)
    for model, found in by_model.items():
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(model, list(found.values()))
        new = [page for pk, page in found.items() if pk in created]
        create_references(new)
        for pk, page in found.items():
            if pk not in created:
                ReferenceIndex.create_or_update_for_object(page)


def read_lines(path):
    """(line number, text or RecordError) for every line of ``path``, streamed.

    Each line is decoded on its own, so one line of broken UTF-8 is one bad line, not
    a failed file; a line over the ``line_bytes`` limit is reported and skipped without
    being held in memory; a byte order mark at the start and CR LF line ends are fine.
    """
    most = limit("line_bytes")
    with open(path, "rb") as handle:
        line_no = 0
        while True:
            raw = handle.readline(most + 1)
            if not raw:
                return
            line_no += 1
            if len(raw) > most and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):
                    raw = handle.readline(1024 * 1024)
                yield line_no, RecordError(f"这一行超过 {most // 1024} KB 的上限，未导入")
                continue
            if line_no == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield line_no, RecordError(f"不是有效的 UTF-8 文本（第 {exc.start + 1} 个字节）")
                continue
            yield line_no, text.rstrip("\r\n")


def count_lines(path):
    """Lines in ``path`` (for the progress bar), read in blocks."""
    count, last = 0, b"\n"
    with open(path, "rb") as handle:
        while block := handle.read(1024 * 1024):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def import_jsonl(
    path, progress=True, progress_stream=None, batch_size=500, restore_deleted=False,
    resume=False,
):  # fmt: skip
    """Import a .jsonl archive; returns an ImportReport. Bad lines never stop the rest.

    The file is read line by line and records are committed in batches (one
    transaction per ``batch_size`` records), with a savepoint around each record so a
    bad one rolls back alone; each batch is search-indexed before it commits. A batch
    that cannot commit is reported with its lines and the import goes on; running the
    same file again imports what is missing (pages are matched by source id).
    """
    registry = importers()
    report = ImportReport()
    bar = Progress(count_lines(path), progress_stream, enabled=progress)
    seen = {}
    with deferred_indexing(_page_models(registry)), import_run(restore_deleted, resume):
        context = {"registry": registry, "section": None}
        batch = []
        for line_no, text in read_lines(path):
            record = None
            if isinstance(text, RecordError):
                report.errors.append((line_no, str(text)))
            elif text.strip():
                try:
                    record = parse_line(line_no, text, registry)
                except RecordError as exc:
                    report.errors.append((line_no, str(exc)))
            if record is not None:
                key = (record.type, record.source_id)
                if key in seen:
                    report.errors.append(
                        (line_no, f"编号“{record.source_id}”与第 {seen[key]} 行重复，未导入")
                    )
                else:
                    seen[key] = line_no
                    batch.append(record)
            if len(batch) >= batch_size:
                _commit_batch(batch, context, report)
                batch = []
            bar.update(line_no)
        if batch:
            _commit_batch(batch, context, report)
    report.errors.sort()
    return report


def _commit_batch(records, context, report):
    """Import ``records`` in one transaction; on failure report their lines and forget
    what the run remembered, so the next batch starts from the database as it is."""
    done = ImportReport()
    touched, created, updated = [], set(), set()
    try:
        # One reindex and one cache renewal for the batch, inside its transaction.
        with transaction.atomic(), changes.batch():
            for record in records:
                result = _import_record(record, context, done)
                if result is not None:
                    page, is_new = result
                    touched.append(page)
                    (created if is_new else updated).add(page.pk)
            flush_pending()
            # A page made and then updated again in the same batch is indexed the
            # ordinary way, from its last state.
            index_pages(touched, created=created - updated)
    except Exception as exc:  # noqa: BLE001 - any failure: reported, the import goes on
        _reset_run()
        context["section"] = None
        report.errors += done.errors
        report.failed_batches.append((records[0].line, records[-1].line, _message(exc)))
        return
    for name in ("created", "updated", "already"):
        setattr(report, name, getattr(report, name) + getattr(done, name))
    for name in ("unassigned", "errors", "skipped", "restored", "notes"):
        getattr(report, name).extend(getattr(done, name))


def _page_models(registry):
    """Every page model an importer may save: its own and any declared ``saves``."""
    found = set()
    for importer in registry.values():
        found.add(importer.model)
        found.update(getattr(importer, "saves", ()))
    return found


def _parent(page_id):
    """The parent page, read once per import: its tree fields are only changed by
    ``add_page``, which keeps the remembered copy right."""
    parents = run_cache().setdefault("parents", {})
    if page_id not in parents:
        parents[page_id] = Page.objects.get(pk=page_id)
    return parents[page_id]


def _import_record(record, context, report):
    """Import one record; returns (page, created), or None when it was not imported."""
    importer = context["registry"][record.type]
    line_no = record.line
    if run_option("resume") and imported_before(
        getattr(importer, "record_model", importer.model), record.source_id
    ):
        report.already += 1
        return None
    parent_id, found = resolve_unit(record.unit)
    reason = None
    if parent_id is None:
        reason = found
    elif not issubclass(found, tuple(importer.model.allowed_parent_page_models())):
        reason = f"{found._meta.verbose_name}下不能存放{importer.model._meta.verbose_name}"
    mark = _pending_mark()
    _run.restored = []
    try:
        with transaction.atomic():
            if reason:
                context["section"] = context["section"] or unassigned_section()
                parent = context["section"]
            else:
                parent = _parent(parent_id)
            page, created = importer.import_record(record, parent)
            remember_page(page)
    except RecordSkipped as exc:
        _pending_rollback(mark)
        report.skipped.append((line_no, record.source_id, str(exc)))
        return None
    except DatabaseError as exc:
        _pending_rollback(mark)
        # the savepoint rolled back, but a child list or source id read inside it may
        # be what failed: read them afresh
        _run.tree = {}
        _drop_source_ids()
        report.errors.append((line_no, f"数据库拒绝了这条记录：{_message(exc)}"))
        return None
    except (RecordError, ValidationError, ValueError, TypeError, LookupError) as exc:
        _pending_rollback(mark)
        report.errors.append((line_no, _message(exc)))
        return None
    except BaseException:
        _pending_rollback(mark)
        raise
    if created:
        report.created += 1
    else:
        report.updated += 1
    if _run.restored:
        report.restored.append((line_no, record.source_id))
    if reason:
        report.unassigned.append((line_no, record.source_id, record.unit, reason))
    for what, value, why in record.notes:
        report.notes.append((line_no, record.source_id, what, value, why))
    return page, created


def _drop_source_ids():
    cache = getattr(_run, "cache", {})
    for key in [key for key in cache if isinstance(key, tuple) and key[0] == "source_ids"]:
        del cache[key]
