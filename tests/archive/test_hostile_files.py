"""`import_archive` against hostile and broken files (issue 16, item 3).

The contract: every bad line is reported with its number and reason, every good line is
imported, nothing is half-done, and archives are held to resource limits with a clear
message. Every file here is generated and really imported into the demo database;
nothing of the importer is replaced.
"""

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from docx import Document
from wagtail.images import get_image_model
from wagtail.models import Page

from plugins.activities.models import ActivityPage
from plugins.archive.api import import_jsonl
from plugins.cases.models import CasePage
from plugins.compilations.importing import import_docx
from plugins.compilations.models import CompilationArticlePage, CompilationPage
from search.models import SearchDocument

GOOD_BEFORE = {"id": "H-before", "type": "case", "title": "前面的好记录", "body": "正文",
               "date": "2020-01-02", "unit": "xingfuli", "tags": ["好"]}  # fmt: skip
GOOD_AFTER = {"id": "H-after", "type": "activity", "title": "后面的好记录", "body": "正文",
              "date": "2020-01-03", "unit": "xingfuli", "tags": ["好"]}  # fmt: skip


def record(**fields):
    """A valid activity record with ``fields`` replaced (None removes a field)."""
    data = {"id": "H-bad", "type": "activity", "title": "有问题的记录", "body": "x",
            "date": "2020-05-01", "unit": "xingfuli", "tags": []}  # fmt: skip
    for name, value in fields.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


# (name, the bytes of line 2, what the report says about line 2)
HOSTILE_LINES = [
    ("bad-json", b"{not json", "不是有效的 JSON"),
    ("truncated-json", b'{"id": "x", "type": "case"', "不是有效的 JSON"),
    ("array", b"[1, 2]", "JSON 对象"),
    ("string", b'"just text"', "JSON 对象"),
    ("null", b"null", "JSON 对象"),
    ("empty-object", b"{}", "缺少必填字段"),
    ("id-list", record(id=["x"]), "id 必须是"),
    ("id-object", record(id={}), "id 必须是"),
    ("id-bool", record(id=True), "id 必须是"),
    ("id-too-long", record(id="x" * 200), "id 超过 120"),
    ("type-list", record(type=["activity"]), "type 必须是"),
    ("type-unknown", record(type="meeting"), "type 必须是"),
    ("title-number", record(title=5), "title 必须是文本"),
    ("title-blank", record(title="   "), "缺少必填字段"),
    ("title-huge", record(title="长" * 300), "title 超过 255"),
    ("body-list", record(body=["a"]), "body 必须是文本"),
    ("date-number", record(date=20200101), "date 必须是文本"),
    ("date-impossible", record(date="2020-02-30"), "date 不是 YYYY-MM-DD"),
    ("date-compact", record(date="20200101"), "date 不是 YYYY-MM-DD"),
    ("date-missing", record(date=None), "活动记录必须有 date"),
    ("unit-list", record(unit=["xingfuli"]), "unit 必须是文本"),
    ("unit-object", record(unit={"a": 1}), "unit 必须是文本"),
    ("tags-string", record(tags="党建"), "tags 必须是列表"),
    ("tags-numbers", record(tags=[1, 2]), "tags 必须是字符串列表"),
    ("tag-huge", record(tags=["标" * 150]), "标签超过 100"),
    ("kind-list", record(kind=["x"]), "kind 必须是文本"),
    ("kind-object", record(kind={}), "kind 必须是文本"),
    ("units-string", record(participating_units="医院"), "participating_units 必须是列表"),
    ("units-numbers", record(participating_units=[1]), "participating_units 必须是字符串列表"),
    ("count-text", record(participant_count="很多"), "participant_count 必须是整数"),
    ("count-negative", record(participant_count=-3), "participant_count 必须是非负整数"),
    ("end-date-bad", record(end_date="明天"), "end_date 不是"),
    ("nul-escaped", record(title="标题\u0000中间"), "NUL"),
    ("nul-raw", b'{"id": "n", "type": "case", "title": "a\x00b"}', "不是有效的 JSON"),
    ("lone-surrogate", b'{"id": "s", "type": "case", "title": "\\ud800"}', "无效的 Unicode"),
    ("invalid-utf8", b'{"id": "u", "type": "case", "title": "\xff\xfe\xc3"}', "不是有效的 UTF-8"),
    ("latin1", '{"id": "l", "type": "case", "title": "café"}'.encode("latin-1"), "UTF-8"),
    ("deep-nesting", b"[" * 100_000 + b"]" * 100_000, "JSON"),
]


def write_lines(tmp_path, lines, name="hostile.jsonl", end=b"\n"):
    path = tmp_path / name
    path.write_bytes(end.join(lines) + end)
    return path


def good(data):
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def footprint():
    """What an import leaves behind: pages, images, image files, search documents."""
    media = Path(django_settings.MEDIA_ROOT)
    files = sorted(str(p) for p in media.rglob("*") if p.is_file()) if media.exists() else []
    return (
        Page.objects.count(),
        get_image_model().objects.count(),
        files,
        SearchDocument.objects.count(),
    )


@pytest.mark.parametrize(
    ("name", "line", "reason"), HOSTILE_LINES, ids=[c[0] for c in HOSTILE_LINES]
)
def test_a_hostile_line_is_reported_and_its_neighbours_imported(demo, tmp_path, name, line, reason):
    path = write_lines(tmp_path, [good(GOOD_BEFORE), line, good(GOOD_AFTER)])
    out = io.StringIO()
    call_command("import_archive", str(path), "--no-progress", stdout=out)
    text = out.getvalue()
    assert "错误 1 行" in text, text
    assert "第 2 行：" in text and reason in text, text
    assert CasePage.objects.filter(source_id="H-before").exists()
    assert ActivityPage.objects.filter(source_id="H-after").exists()
    assert not ActivityPage.objects.filter(source_id="H-bad").exists()


def test_a_line_over_the_size_limit_is_skipped_without_being_read_whole(demo, tmp_path, settings):
    settings.ARCHIVE_IMPORT_LIMITS = {"line_bytes": 64 * 1024}
    huge = record(body="长" * 100_000)  # 300 KB
    path = write_lines(tmp_path, [good(GOOD_BEFORE), huge, good(GOOD_AFTER)])
    report = import_jsonl(path, progress=False)
    assert report.errors == [(2, "这一行超过 64 KB 的上限，未导入")]
    assert report.created == 2


def test_the_same_id_twice_in_one_file_imports_the_first_and_names_both_lines(demo, tmp_path):
    first = good(dict(GOOD_AFTER, title="第一次"))
    again = good(dict(GOOD_AFTER, title="第二次"))
    report = import_jsonl(write_lines(tmp_path, [first, good(GOOD_BEFORE), again]), progress=False)
    assert report.errors == [(3, "编号“H-after”与第 1 行重复，未导入")]
    assert ActivityPage.objects.get(source_id="H-after").title == "第一次"


def test_the_same_id_twice_within_one_batch_on_a_small_batch_size(demo, tmp_path):
    lines = [good(dict(GOOD_AFTER, id=f"D-{n % 3}", title=f"重复{n}")) for n in range(9)]
    report = import_jsonl(write_lines(tmp_path, lines), progress=False, batch_size=4)
    assert report.created == 3 and [line for line, _ in report.errors] == [4, 5, 6, 7, 8, 9]


@pytest.mark.parametrize("unit", ["/", "//", " / ", "不存在的单位", "grid-1"])
def test_units_that_resolve_to_nothing_go_to_unassigned_with_the_reason(demo, tmp_path, unit):
    report = import_jsonl(write_lines(tmp_path, [record(unit=unit)]), progress=False)
    assert report.errors == [] and report.created == 1
    [(line, source_id, given, why)] = report.unassigned
    assert (line, source_id, given) == (1, "H-bad", unit) and why


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bom", b"\xef\xbb\xbf" + good(GOOD_BEFORE) + b"\n" + good(GOOD_AFTER) + b"\n"),
        ("crlf", good(GOOD_BEFORE) + b"\r\n" + good(GOOD_AFTER) + b"\r\n"),
        ("no-final-newline", good(GOOD_BEFORE) + b"\n" + good(GOOD_AFTER)),
        ("blank-lines", b"\n\n" + good(GOOD_BEFORE) + b"\n   \n\t\n" + good(GOOD_AFTER) + b"\n\n"),
    ],
)
def test_harmless_file_shapes_import_everything(demo, tmp_path, name, data):
    path = tmp_path / f"{name}.jsonl"
    path.write_bytes(data)
    report = import_jsonl(path, progress=False)
    assert report.errors == [] and report.created == 2


@pytest.mark.parametrize("data", [b"", b"\n\n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_imports_nothing_and_says_so(demo, tmp_path, data):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(data)
    before = footprint()
    out = io.StringIO()
    call_command("import_archive", str(path), stdout=out)
    assert "新建 0 条，更新 0 条" in out.getvalue() and "错误 0 行" in out.getvalue()
    assert footprint() == before


def test_a_bad_line_at_401_loses_nothing_around_it(demo, tmp_path):
    """The issue's case: with a bad line at 401, lines 1-250 were committed and the rest lost."""
    lines = [good(dict(GOOD_BEFORE, id=f"M-{n}", title=f"记录{n}")) for n in range(1, 801)]
    lines[400] = record(kind=["x"])
    report = import_jsonl(write_lines(tmp_path, lines), progress=False)
    assert [line for line, _ in report.errors] == [401]
    assert report.created == 799
    assert CasePage.objects.filter(source_id__startswith="M-").count() == 799


# --- .docx ----------------------------------------------------------------------------


def docx_bytes(build=None, pictures=()):
    """A real .docx: a title, two articles; ``pictures`` (bytes) go into the first."""
    document = Document()
    document.add_paragraph("2019年测试社区经验汇编", style="Title")
    document.add_heading("第一篇", level=1)
    document.add_paragraph("第一篇正文")
    for _blob in pictures:
        document.add_picture(io.BytesIO(_png(2, 2)))  # its bytes replaced below
    document.add_heading("第二篇", level=1)
    document.add_paragraph("第二篇正文")
    if build:
        build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if pictures:
        data = _replace_media(data, list(pictures))
    return data


def _replace_media(data, blobs):
    """The same package with its media parts' bytes replaced by ``blobs`` in order
    (python-docx refuses to embed a broken picture; a hostile file has one anyway)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        media = iter(blobs)
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("word/media/"):
                content = next(media)
            target.writestr(info.filename, content)
    return out.getvalue()


def _chunk(kind, payload):
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def _png(width, height, rows=None):
    """A real greyscale PNG; ``rows`` (raw scanline bytes) may be cut short on purpose."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    if rows is None:
        rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b"")
    )  # fmt: skip


def _rezip(data, change):
    """The package with ``change(name, bytes) -> bytes or None`` applied to each part."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)
    return out.getvalue()


def _bomb_part(data):
    def change(name, content):
        if name == "word/document.xml":
            # valid XML with 60 MB of whitespace: compresses about 1000:1
            return content.replace(b"<w:body>", b"<w:body>" + b" " * 60_000_000, 1)
        return content

    return _rezip(data, change)


def _many_parts(data):
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as package:
        for n in range(60):
            package.writestr(f"customXml/extra{n}.xml", "<a/>")
    return out.getvalue()


def _random_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("hello.txt", "不是 Word 文件")
    return out.getvalue()


# (name, the file's bytes (a function, built lazily), limits, what the report says)
HOSTILE_DOCX = [
    ("not-a-zip", lambda: b"This is plain text, not a zip.", {}, "不是有效的 Word 文件"),
    ("empty", lambda: b"", {}, "文件是空的"),
    ("pdf-renamed", lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", {}, "不是有效的 Word 文件"),
    ("zip-of-text", _random_zip, {}, "无法读取 Word 文件的内容"),
    ("truncated-zip", lambda: docx_bytes()[:3000], {}, "不是有效的 Word 文件"),
    (
        "malformed-document-xml",
        lambda: _rezip(docx_bytes(), lambda n, c: c[:-200] if n == "word/document.xml" else c),
        {},
        "无法读取 Word 文件的内容",
    ),
    (
        "malformed-styles-xml",
        lambda: _rezip(docx_bytes(), lambda n, c: b"<w:styles" if n == "word/styles.xml" else c),
        {},
        "无法读取 Word 文件的内容",
    ),
    (
        "malformed-core-properties",
        lambda: _rezip(docx_bytes(), lambda n, c: b"<oops" if n == "docProps/core.xml" else c),
        {},
        "无法读取 Word 文件的内容",
    ),
    (
        "missing-document-part",
        lambda: _rezip(docx_bytes(), lambda n, c: None if n == "word/document.xml" else c),
        {},
        "无法读取 Word 文件的内容",
    ),
    ("zip-bomb-part", lambda: _bomb_part(docx_bytes()), {}, "压缩炸弹"),
    (
        "over-uncompressed-limit",
        lambda: docx_bytes(),
        {"docx_uncompressed_bytes": 10_000},
        "解压后",
    ),
    ("too-many-parts", lambda: _many_parts(docx_bytes()), {"docx_parts": 50}, "个部件"),
    (
        "xml-part-too-big",
        lambda: _rezip(
            docx_bytes(),
            lambda n, c: (
                c.replace(b"<w:body>", b"<w:body>" + b" " * 3 * 2**20)
                if n == "word/document.xml"
                else c
            ),
        ),
        {"docx_xml_part_bytes": 2**20},
        "部件 word/document.xml 解压后有 3 MB，超过 1 MB 的上限",
    ),
    ("over-file-size-limit", lambda: docx_bytes(), {"docx_bytes": 1000}, "上限"),
]


@pytest.mark.parametrize(
    ("name", "make", "limits", "reason"), HOSTILE_DOCX, ids=[c[0] for c in HOSTILE_DOCX]
)
def test_a_hostile_docx_is_refused_with_a_reason_and_leaves_nothing(
    demo, tmp_path, settings, name, make, limits, reason
):
    settings.ARCHIVE_IMPORT_LIMITS = limits
    path = tmp_path / f"{name}.docx"
    path.write_bytes(make())
    before = footprint()
    out = io.StringIO()
    call_command("import_archive", str(path), "--unit", "xingfuli", stdout=out)
    text = out.getvalue()
    assert reason in text, text
    assert "新建 0 条" in text
    assert footprint() == before


# (name, the picture's bytes, what the report says about it)
HOSTILE_PICTURES = [
    ("huge-20000x20000", _png(20000, 20000, rows=b"\x00" * 100), "像素"),
    ("huge-8000x8000", _png(8000, 8000, rows=b"\x00" * 100), "8000×8000 像素"),
    ("unreadable", b"\x89PNG\r\n\x1a\n" + b"garbage" * 50, "无法读取"),
    ("random-bytes", bytes(range(256)) * 4, "无法读取"),
    ("truncated", _png(64, 64)[:60], "无法读取"),
    ("short-pixel-data", _png(300, 300, rows=b"\x00" * 1000), "无法读取"),
    ("bmp", b"BM" + struct.pack("<IHHI", 70, 0, 0, 54) + struct.pack(
        "<IiiHHIIiiII", 40, 2, 2, 1, 24, 0, 16, 2835, 2835, 0, 0) + b"\x00" * 16,
     "不支持的图片格式"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "blob", "reason"), HOSTILE_PICTURES, ids=[c[0] for c in HOSTILE_PICTURES]
)
def test_a_bad_picture_is_left_out_and_named_and_the_text_imported(
    demo, tmp_path, name, blob, reason
):
    path = tmp_path / f"picture-{name}.docx"
    path.write_bytes(docx_bytes(pictures=[blob]))
    images, files = footprint()[1:3]
    report = import_docx(path, unit="xingfuli")
    assert report.errors == []
    [(_line, _sid, what, value, why)] = [n for n in report.notes if n[2] == "图片"]
    assert "第 1 篇《第一篇》" in value and reason in why
    compilation = CompilationPage.objects.get(source_id=f"docx:{path.name}")
    articles = CompilationArticlePage.objects.descendant_of(compilation).order_by("path")
    assert [a.title for a in articles] == ["第一篇", "第二篇"]
    assert [b.block_type for b in articles[0].body] == ["paragraph"]
    assert footprint()[1:3] == (images, files)


def test_a_good_picture_is_kept(demo, tmp_path):
    path = tmp_path / "picture-good.docx"
    path.write_bytes(docx_bytes(pictures=[_png(40, 30)]))
    report = import_docx(path, unit="xingfuli")
    assert report.errors == [] and not [n for n in report.notes if n[2] == "图片"]
    article = CompilationArticlePage.objects.get(source_id=f"docx:{path.name}#1.1")
    [image] = [b.value["image"] for b in article.body if b.block_type == "image"]
    assert (image.width, image.height) == (40, 30)
    assert Path(image.file.path).is_file()


def test_hostile_suite_has_at_least_thirty_files():
    assert len(HOSTILE_LINES) + len(HOSTILE_DOCX) + len(HOSTILE_PICTURES) >= 30
