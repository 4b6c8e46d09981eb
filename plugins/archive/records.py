"""Archive records: reading a `.jsonl` file line by line and checking each line
against the record contract of DESIGN.md, before anything touches the database.

A bad line becomes a RecordError with a message for the user (in Chinese), so the
import reports it and goes on with the next line; the resource limits keep a hostile
file from ending in a machine out of memory.
"""

import codecs
import datetime
import json
import re
from dataclasses import dataclass, field

from django.conf import settings


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
