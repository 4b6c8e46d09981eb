"""`import_archive FILE.jsonl`: placement, idempotence, bad lines, 未归属."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from plugins.activities.models import ActivityPage
from plugins.archive.api import ArchiveSectionPage, UnitResolver, body_text, import_jsonl
from plugins.cases.models import CasePage
from plugins.orgs.models import OrganisationPage

GOOD = [
    {"id": "A-1", "type": "activity", "title": "档案活动一", "body": "第一段\n第二段",
     "date": "2019-05-04", "unit": "jiangbei/xinhua/xingfuli", "tags": ["五四", "青年"]},
    {"id": "A-2", "type": "activity", "title": "档案活动二", "body": "内容",
     "date": "2019-06-01", "unit": "新华街道党工委/光明社区大党委", "tags": []},
    {"id": "C-1", "type": "case", "title": "档案案例一", "body": "案例正文",
     "date": "2018-01-01", "unit": "江安市第一人民医院", "tags": ["医院"]},
    {"id": "A-3", "type": "activity", "title": "无处安放的活动", "body": "x",
     "date": "2019-07-01", "unit": "不存在的社区", "tags": []},
]  # fmt: skip
BAD = [
    "{not json",
    json.dumps({"id": "B-1", "type": "meeting", "title": "未知类型", "date": "2019-01-01"}),
    json.dumps({"id": "B-2", "type": "activity", "title": "坏日期", "date": "2019-13-45"}),
]


def write(tmp_path, lines, name="archive.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def mixed_file(tmp_path):
    good = [json.dumps(record, ensure_ascii=False) for record in GOOD]
    lines = [good[0], BAD[0], good[1], BAD[1], good[2], BAD[2], good[3]]
    return write(tmp_path, lines)


def test_three_bad_lines_are_named_and_the_rest_imported(demo, tmp_path):
    out = io.StringIO()
    call_command("import_archive", str(mixed_file(tmp_path)), stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "错误 3 行" in text
    assert "第 2 行：不是有效的 JSON" in text
    assert "第 4 行：type 必须是" in text
    assert "第 6 行：date 不是 YYYY-MM-DD" in text
    assert ActivityPage.objects.filter(source_id__in=["A-1", "A-2", "A-3"]).count() == 3
    assert CasePage.objects.filter(source_id="C-1").count() == 1


def test_records_land_under_their_unit_published(demo, tmp_path):
    import_jsonl(mixed_file(tmp_path), progress=False)
    one = ActivityPage.objects.get(source_id="A-1")
    assert one.live and one.get_parent().slug == "xingfuli"
    assert body_text(one.body) == "第一段\n第二段"
    assert sorted(t.name for t in one.tags.all()) == ["五四", "青年"]
    assert one.kind.name == "其他"
    assert ActivityPage.objects.get(source_id="A-2").get_parent().slug == "guangming"
    assert CasePage.objects.get(source_id="C-1").get_parent().slug == "jiangan-no1-hospital"


def test_unknown_unit_goes_to_unassigned_and_is_reported(demo, tmp_path):
    report = import_jsonl(mixed_file(tmp_path), progress=False)
    section = ArchiveSectionPage.objects.get()
    assert section.title == "未归属" and section.live
    assert ActivityPage.objects.get(source_id="A-3").get_parent().pk == section.pk
    assert [(line, sid) for line, sid, _unit, _why in report.unassigned] == [(7, "A-3")]
    assert "找不到该单位" in report.unassigned[0][3]


def test_reimport_creates_no_duplicates_and_updates_in_place(demo, tmp_path):
    path = mixed_file(tmp_path)
    first = import_jsonl(path, progress=False)
    assert (first.created, first.updated) == (4, 0)
    pk = ActivityPage.objects.get(source_id="A-1").pk
    second = import_jsonl(path, progress=False)
    assert (second.created, second.updated) == (0, 4)
    assert ActivityPage.objects.filter(source_id__startswith="A-").count() == 3
    assert ArchiveSectionPage.objects.count() == 1
    changed = dict(GOOD[0], title="档案活动一（修订）", unit="jiangbei/xinhua/guangming")
    import_jsonl(
        write(tmp_path, [json.dumps(changed, ensure_ascii=False)], "b.jsonl"), progress=False
    )
    page = ActivityPage.objects.get(source_id="A-1")
    assert page.pk == pk and page.title == "档案活动一（修订）"
    assert page.get_parent().slug == "guangming"


def test_a_unit_level_that_cannot_hold_the_type_is_unassigned(demo, tmp_path):
    record = dict(GOOD[0], id="A-9", unit="jiangbei")  # a district holds no activity records
    report = import_jsonl(write(tmp_path, [json.dumps(record, ensure_ascii=False)]), progress=False)
    assert "不能存放活动记录" in report.unassigned[0][3]


@pytest.mark.parametrize(
    ("unit", "slug"),
    [
        ("jiangan/jiangbei/xinhua/xingfuli", "xingfuli"),
        ("xinhua/xingfuli/grid-1", "grid-1"),
        ("幸福里社区大党委", "xingfuli"),
        ("/jiangbei/xinhua/", "xinhua"),
    ],
)
def test_unit_paths_resolve(demo, unit, slug):
    page_id, _cls = UnitResolver().resolve(unit)
    assert OrganisationPage.objects.get(pk=page_id).slug == slug


@pytest.mark.parametrize(
    ("unit", "why"), [("grid-1", "同名"), ("linjiang/xingfuli", "找不到"), ("", "没有")]
)
def test_ambiguous_or_unknown_units_are_not_guessed(demo, unit, why):
    page_id, reason = UnitResolver().resolve(unit)
    assert page_id is None and why in reason


def test_missing_fields_and_wrong_tags_are_bad_lines(demo, tmp_path):
    lines = [
        json.dumps({"type": "activity", "title": "无编号", "date": "2020-01-01"}),
        json.dumps({"id": "T-1", "type": "case", "title": "x", "tags": "不是列表"}),
        json.dumps({"id": "T-2", "type": "activity", "title": "无日期", "unit": "xingfuli"}),
        "[1, 2]",
    ]
    report = import_jsonl(write(tmp_path, lines), progress=False)
    assert [line for line, _ in report.errors] == [1, 2, 3, 4]
    assert "id" in report.errors[0][1] and "tags" in report.errors[1][1]
    assert "date" in report.errors[2][1]


def test_command_refuses_missing_or_unknown_files(demo, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_archive", str(tmp_path / "none.jsonl"))
    other = tmp_path / "a.csv"
    other.write_text("x")
    with pytest.raises(CommandError, match="不支持的文件类型"):
        call_command("import_archive", str(other))


def test_progress_is_shown_on_long_imports(demo, tmp_path):
    lines = [
        json.dumps({"id": f"P-{n}", "type": "case", "title": f"进度{n}", "unit": "xingfuli"})
        for n in range(120)
    ]
    err = io.StringIO()
    call_command("import_archive", str(write(tmp_path, lines)), stdout=io.StringIO(), stderr=err)
    assert "导入中 120/120" in err.getvalue()


def test_compilation_articles_gather_in_a_compilation_of_their_unit_and_year(demo, tmp_path):
    from plugins.compilations.models import CompilationArticlePage, CompilationPage

    lines = [
        json.dumps({"id": "K-1", "type": "compilation_article", "title": "汇编文章一",
                    "body": "甲\n乙", "date": "2015-03-01", "unit": "xinhua", "tags": []},
                   ensure_ascii=False),
        json.dumps({"id": "K-2", "type": "compilation_article", "title": "汇编文章二",
                    "body": "丙", "date": "2015-04-01", "unit": "xinhua", "chapter": "服务篇"},
                   ensure_ascii=False),
    ]  # fmt: skip
    path = write(tmp_path, lines)
    assert import_jsonl(path, progress=False).errors == []
    assert import_jsonl(path, progress=False).errors == []
    compilation = CompilationPage.objects.get(source_id__startswith="jsonl:")
    assert compilation.title == "2015年经验汇编（档案）" and compilation.year == 2015
    assert compilation.get_parent().slug == "xinhua"
    sections = compilation.outline()
    assert [(s.chapter and s.chapter.title, [a.title for a in s.articles]) for s in sections] == [
        (None, ["汇编文章一"]),
        ("服务篇", ["汇编文章二"]),
    ]
    assert body_text(CompilationArticlePage.objects.get(source_id="K-1").body) == "甲\n乙"


def test_imported_pages_are_served_with_unique_slugs(client, demo, tmp_path):
    lines = [
        json.dumps({"id": f"S-{n}", "type": "activity", "title": "同名活动", "body": "正文",
                    "date": "2020-01-0" + str(n + 1), "unit": "xingfuli"}, ensure_ascii=False)
        for n in range(3)
    ]  # fmt: skip
    import_jsonl(write(tmp_path, lines), progress=False)
    pages = list(ActivityPage.objects.filter(source_id__startswith="S-").order_by("source_id"))
    assert len({page.slug for page in pages}) == 3
    community = OrganisationPage.objects.get(slug="xingfuli")
    community.refresh_from_db()
    assert community.numchild == community.get_children().count()
    for page in pages:
        assert page.url_path.startswith(community.url_path)
        response = client.get(page.url)
        assert response.status_code == 200 and "同名活动" in response.content.decode()
    # and they are searchable, although indexed in bulk
    assert {p.pk for p in ActivityPage.objects.search("同名活动")} >= {p.pk for p in pages}
