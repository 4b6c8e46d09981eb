"""The archive as a faithful memory (issue 16): every field of every type is kept and
searchable at once, .docx compilations are dated from the document, binned pages are
never revived by an import, and a batch that fails is reported and can be resumed."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import DatabaseError
from docx import Document
from wagtail.images import get_image_model
from wagtail.models import Page

from plugins.activities.models import ActivityPage
from plugins.archive import importing
from plugins.archive.api import import_jsonl
from plugins.cases.models import CasePage
from plugins.compilations import importing as docx_importing
from plugins.compilations.importing import import_docx, year_in
from plugins.compilations.models import CompilationArticlePage, CompilationPage
from plugins.orgs.models import OrganisationPage
from plugins.recyclebin.models import BinEntry, is_in_bin, move_to_bin, purge
from search.models import SearchDocument


def write(tmp_path, records, name="memory.jsonl"):
    path = tmp_path / name
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def search(query, *args):
    out = io.StringIO()
    call_command("search_archive", query, *args, "--json", stdout=out)
    return json.loads(out.getvalue())


ARTICLE = {"id": "F-1", "type": "compilation_article", "title": "楼栋党小组议事的办法",
           "body": "议事\n协商", "date": "2022-03-15", "unit": "jiangbei/xinhua/xingfuli",
           "tags": ["议事", "楼栋"], "author": "王小明", "lead": "导语一段"}  # fmt: skip


def test_a_compilation_article_keeps_date_tags_unit_and_is_found_by_them(demo, tmp_path):
    report = import_jsonl(write(tmp_path, [ARTICLE]), progress=False)
    assert report.errors == [] and report.created == 1
    page = CompilationArticlePage.objects.get(source_id="F-1")
    assert page.date == datetime.date(2022, 3, 15)
    assert sorted(tag.name for tag in page.tags.all()) == ["楼栋", "议事"]
    assert (page.author, page.lead) == ("王小明", "导语一段")
    unit = OrganisationPage.objects.get(slug="xingfuli")
    assert page.unit_name == unit.title
    document = SearchDocument.objects.get(page_id=page.pk)
    assert (document.date, document.year) == (datetime.date(2022, 3, 15), 2022)
    assert document.unit == unit.title and document.source_id == "F-1"
    assert "议事" in document.tag_list and "楼栋" in document.tag_list
    [hit] = [r for r in search("楼栋党小组议事")["results"] if r["source_id"] == "F-1"]
    assert hit["date"] == "2022-03-15" and hit["type"] == "compilation_article"
    assert hit["unit"] == unit.title
    assert [r["source_id"] for r in search("", "--tag", "楼栋")["results"]] == ["F-1"]


def test_an_activity_keeps_kind_units_and_notes_what_it_could_not_place(demo, tmp_path):
    record = {"id": "F-2", "type": "activity", "title": "联合主题党日", "body": "正文",
              "date": "2021-07-01", "unit": "xingfuli", "tags": ["七一"], "kind": "主题党日",
              "place": "社区党群服务中心", "participant_count": 40, "end_date": "2021-07-02",
              "participating_units": ["江安市第一人民医院", "不存在的单位", "xinhua"]}  # fmt: skip
    other = dict(record, id="F-3", kind="没有这个类型", participating_units=[])
    report = import_jsonl(write(tmp_path, [record, other]), progress=False)
    assert report.errors == [] and report.created == 2
    page = ActivityPage.objects.get(source_id="F-2")
    assert page.kind.name == "主题党日" and page.place == "社区党群服务中心"
    assert (page.participant_count, page.end_date) == (40, datetime.date(2021, 7, 2))
    assert [u.slug for u in page.participating_units.all()] == ["jiangan-no1-hospital"]
    notes = [(line, sid, what, value) for line, sid, what, value, _why in report.notes]
    assert notes == [
        (1, "F-2", "参与单位", "不存在的单位"),
        (1, "F-2", "参与单位", "xinhua"),
        (2, "F-3", "活动类型", "没有这个类型"),
    ]
    assert ActivityPage.objects.get(source_id="F-3").kind.name == "其他"
    out = io.StringIO()
    report.write(out)
    assert "第 2 行（F-3）活动类型“没有这个类型”：没有这个活动类型，记为“其他”" in out.getvalue()


def test_a_case_keeps_every_field(demo, tmp_path):
    record = {"id": "F-4", "type": "case", "title": "共驻共建的医院经验", "body": "正文",
              "date": "2017-09-09", "unit": "江安市第一人民医院", "tags": ["医院", "共建"],
              "lead": "导语", "author": "李华", "source": "江安日报", "recommended": True,
    }  # fmt: skip
    import_jsonl(write(tmp_path, [record]), progress=False)
    page = CasePage.objects.get(source_id="F-4")
    assert (page.date, page.lead, page.author, page.source, page.recommended) == (
        datetime.date(2017, 9, 9), "导语", "李华", "江安日报", True)  # fmt: skip
    assert sorted(t.name for t in page.tags.all()) == ["共建", "医院"]
    assert SearchDocument.objects.get(page_id=page.pk).date == datetime.date(2017, 9, 9)


# --- the recycle bin ---------------------------------------------------------------------


def test_a_binned_page_is_skipped_not_revived(demo, tmp_path):
    path = write(tmp_path, [ARTICLE, dict(ARTICLE, id="F-5", type="case", title="另一条")])
    import_jsonl(path, progress=False)
    page = CompilationArticlePage.objects.get(source_id="F-1")
    entry = move_to_bin(page)
    out = io.StringIO()
    call_command("import_archive", str(path), "--no-progress", stdout=out)
    text = out.getvalue()
    assert "跳过回收站中的 1 条" in text
    assert "第 1 行（F-1）已跳过：页面“楼栋党小组议事的办法”已被删除，在回收站中" in text
    page.refresh_from_db()
    assert is_in_bin(page) and BinEntry.objects.filter(pk=entry.pk).exists()
    assert not SearchDocument.objects.filter(page_id=page.pk).exists()
    assert CompilationArticlePage.objects.filter(source_id="F-1").count() == 1
    # the purge deletes the binned page, and nothing live with it
    BinEntry.objects.filter(pk=entry.pk).update(
        deleted_at=entry.deleted_at - datetime.timedelta(days=400)
    )
    purge()
    assert not CompilationArticlePage.objects.filter(source_id="F-1").exists()
    assert CasePage.objects.get(source_id="F-5").live


def test_restore_deleted_brings_the_page_back_through_the_bin(demo, tmp_path):
    path = write(tmp_path, [ARTICLE])
    import_jsonl(path, progress=False)
    page = CompilationArticlePage.objects.get(source_id="F-1")
    holder = page.get_parent()
    move_to_bin(page)
    changed = write(tmp_path, [dict(ARTICLE, title="恢复后的标题")], "changed.jsonl")
    out = io.StringIO()
    call_command("import_archive", str(changed), "--restore-deleted", stdout=out)
    assert "从回收站恢复 1 条" in out.getvalue()
    page = CompilationArticlePage.objects.get(source_id="F-1")
    assert page.title == "恢复后的标题" and not is_in_bin(page)
    assert page.get_parent().pk == holder.pk
    assert not BinEntry.objects.filter(page_id=page.pk).exists()
    assert SearchDocument.objects.get(page_id=page.pk).title == "恢复后的标题"


def test_a_binned_organisation_takes_no_records(demo, tmp_path):
    move_to_bin(OrganisationPage.objects.get(slug="guangming"))
    record = {"id": "F-6", "type": "case", "title": "光明的案例", "unit": "xinhua/guangming"}
    report = import_jsonl(write(tmp_path, [record]), progress=False)
    assert report.unassigned and "找不到该单位" in report.unassigned[0][3]
    assert not is_in_bin(CasePage.objects.get(source_id="F-6"))


def test_a_binned_docx_compilation_is_skipped_whole(demo, tmp_path):
    path = tmp_path / "binned.docx"
    path.write_bytes(docx([("第一篇", "正文")]))
    import_docx(path, unit="xingfuli")
    move_to_bin(CompilationPage.objects.get(source_id="docx:binned.docx"))
    pages = Page.objects.count()
    report = import_docx(path, unit="xingfuli")
    assert report.created == report.updated == 0
    assert [sid for _line, sid, _why in report.skipped] == ["docx:binned.docx"]
    assert Page.objects.count() == pages


# --- .docx dates -------------------------------------------------------------------------


def docx(articles, title="二〇二〇年光明社区经验汇编", created=None, keywords=""):
    document = Document()
    document.add_paragraph(title, style="Title")
    for heading, text in articles:
        document.add_heading(heading, level=1)
        document.add_paragraph(text)
    if created:
        document.core_properties.created = created
    document.core_properties.keywords = keywords
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("text", "year"),
    [("二〇二〇年光明社区经验汇编", 2020), ("二零一八年汇编", 2018), ("2016年汇编", 2016),
     ("２０１９年汇编", 2019), ("一九九八年汇编", 1998), ("第三十期汇编", None), ("1234年", None)],
)  # fmt: skip
def test_years_in_titles(text, year):
    assert year_in(text) == year


def test_docx_date_from_chinese_numerals_in_the_title(demo, tmp_path):
    path = tmp_path / "dated.docx"
    path.write_bytes(docx([("第一篇", "正文")], keywords="议事, 楼栋；微心愿"))
    report = import_docx(path, unit="guangming")
    compilation = CompilationPage.objects.get(source_id="docx:dated.docx")
    assert compilation.year == 2020
    article = CompilationArticlePage.objects.descendant_of(compilation).get()
    assert article.date == datetime.date(2020, 1, 1)
    assert sorted(t.name for t in article.tags.all()) == ["微心愿", "楼栋", "议事"]
    assert SearchDocument.objects.get(page_id=article.pk).year == 2020
    assert any(what == "日期" and "标题中的年份" in why for _l, _s, what, _v, why in report.notes)


def test_docx_date_from_the_creation_date_of_the_same_year(demo, tmp_path):
    path = tmp_path / "created.docx"
    created = datetime.datetime(2020, 6, 5, 9, 0, tzinfo=datetime.UTC)
    path.write_bytes(docx([("第一篇", "正文")], created=created))
    import_docx(path, unit="guangming")
    article = CompilationArticlePage.objects.get(source_id="docx:created.docx#1.1")
    assert article.date == datetime.date(2020, 6, 5)


def test_docx_date_from_the_creation_date_alone_and_from_the_option(demo, tmp_path):
    path = tmp_path / "untitled.docx"
    created = datetime.datetime(2015, 4, 1, tzinfo=datetime.UTC)
    path.write_bytes(docx([("第一篇", "正文")], title="社区经验汇编", created=created))
    import_docx(path, unit="guangming")
    assert CompilationPage.objects.get(source_id="docx:untitled.docx").year == 2015
    article = CompilationArticlePage.objects.get(source_id="docx:untitled.docx#1.1")
    assert article.date == datetime.date(2015, 4, 1)
    call_command("import_archive", str(path), "--unit", "guangming", "--date", "2011-11-11",
                 stdout=io.StringIO())  # fmt: skip
    article.refresh_from_db()
    assert article.date == datetime.date(2011, 11, 11)
    assert CompilationPage.objects.get(source_id="docx:untitled.docx").year == 2011


def test_docx_without_any_date_says_so(demo, tmp_path):
    path = tmp_path / "nodate.docx"
    path.write_bytes(docx([("第一篇", "正文")], title="社区经验汇编"))
    out = io.StringIO()
    call_command("import_archive", str(path), "--unit", "guangming", stdout=out)
    assert "请用 --date 指定" in out.getvalue()
    assert CompilationArticlePage.objects.get(source_id="docx:nodate.docx#1.1").date is None


# --- batches: failure, resume, speed -----------------------------------------------------


def test_a_failed_batch_is_reported_and_a_rerun_imports_the_rest(demo, tmp_path, monkeypatch):
    """The failure is injected into the batch's bulk bookkeeping (a real DatabaseError
    raised where a full disk or a lost connection would raise it); the rest is real."""
    records = [{"id": f"B-{n}", "type": "case", "title": f"批次{n}", "unit": "xingfuli",
                "date": "2020-01-01"} for n in range(1, 11)]  # fmt: skip
    path = write(tmp_path, records)
    real, calls = importing.flush_pending, []

    def failing_second():
        calls.append(1)
        if len(calls) == 2:
            raise DatabaseError("磁盘已满")
        real()

    monkeypatch.setattr(importing, "flush_pending", failing_second)
    report = import_jsonl(path, progress=False, batch_size=4)
    assert report.failed_batches == [(5, 8, "磁盘已满")]
    assert report.created == 6
    assert sorted(CasePage.objects.filter(source_id__startswith="B-").values_list(
        "source_id", flat=True)) == ["B-1", "B-10", "B-2", "B-3", "B-4", "B-9"]  # fmt: skip
    assert not SearchDocument.objects.filter(source_id__in=["B-5", "B-8"]).exists()
    assert all(not problems for problems in Page.find_problems())
    out = io.StringIO()
    report.write(out)
    assert "第 5–8 行这一批未能提交（磁盘已满）" in out.getvalue()
    monkeypatch.setattr(importing, "flush_pending", real)
    again = import_jsonl(path, progress=False, resume=True)
    assert (again.created, again.updated, again.already) == (4, 0, 6)
    assert CasePage.objects.filter(source_id__startswith="B-").count() == 10
    assert SearchDocument.objects.filter(source_id__startswith="B-").count() == 10


def test_a_failed_docx_batch_leaves_no_image_file(demo, tmp_path, monkeypatch, settings):
    from tests.archive.test_hostile_files import _png

    settings.ARCHIVE_IMPORT_LIMITS = {"docx_batch": 1}
    document = Document()
    document.add_paragraph("2019年图片汇编", style="Title")
    document.add_heading("没有图的一篇", level=1)
    document.add_paragraph("正文")
    document.add_heading("有图的一篇", level=1)
    document.add_picture(io.BytesIO(_png(30, 20)))
    path = tmp_path / "pictures.docx"
    document.save(path)
    media = Path(django_settings.MEDIA_ROOT)

    def files():
        return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []

    before, images = files(), get_image_model().objects.count()
    real, calls = docx_importing.flush_pending, []

    def failing_second():
        calls.append(1)
        if len(calls) == 2:
            raise DatabaseError("连接中断")
        real()

    monkeypatch.setattr(docx_importing, "flush_pending", failing_second)
    report = import_docx(path, unit="xingfuli")
    assert "第 2–2 篇文章这一批未能提交（连接中断）" in report.errors[0][1]
    assert files() == before and get_image_model().objects.count() == images
    assert CompilationArticlePage.objects.filter(source_id__startswith="docx:pictures").count() == 1
    monkeypatch.setattr(docx_importing, "flush_pending", real)
    again = import_docx(path, unit="xingfuli")
    assert again.errors == [] and (again.created, again.updated) == (1, 2)
    assert get_image_model().objects.count() == images + 1 and len(files()) > len(before)


def test_a_docx_of_many_headings_is_written_in_batches(demo, tmp_path, settings):
    settings.ARCHIVE_IMPORT_LIMITS = {"docx_batch": 50}
    path = tmp_path / "many.docx"
    path.write_bytes(docx([(f"第{n}篇", f"正文{n}") for n in range(1, 301)]))
    report = import_docx(path, unit="guangming")
    assert report.errors == [] and report.created == 301
    compilation = CompilationPage.objects.get(source_id="docx:many.docx")
    assert compilation.numchild == 300 == compilation.get_children().count()
    assert SearchDocument.objects.filter(source_id__startswith="docx:many.docx#").count() == 300
    assert all(not problems for problems in Page.find_problems())
    # the file without its last 100 articles: those go to the recycle bin
    path.write_bytes(docx([(f"第{n}篇", f"正文{n}") for n in range(1, 201)]))
    report = import_docx(path, unit="guangming")
    assert report.updated == 201
    assert compilation.get_children().count() == 200
    assert BinEntry.objects.filter(page__title="第300篇").exists()


def test_a_docx_without_a_unit_is_unassigned_in_search_too(demo, tmp_path):
    """Issue 16: it landed in 未归属 while the search said its unit was the city."""
    from plugins.orgs.models import CityPage

    path = tmp_path / "nounit.docx"
    path.write_bytes(docx([("无处安放的文章", "正文")]))
    out = io.StringIO()
    call_command("import_archive", str(path), stdout=out)
    assert "放入“未归属”" in out.getvalue()
    article = CompilationArticlePage.objects.get(source_id="docx:nounit.docx#1.1")
    document = SearchDocument.objects.get(page_id=article.pk)
    assert document.unit == "未归属" and document.date == datetime.date(2020, 1, 1)
    city = CityPage.objects.get()
    [hit] = [r for r in search("无处安放的文章")["results"] if r["page_id"] == article.pk]
    assert hit["unit"] == "未归属" != city.title


def test_restore_deleted_brings_back_a_docx_compilation_with_its_chapters(demo, tmp_path):
    document = Document()
    document.add_paragraph("2021年章节汇编", style="Title")
    document.add_heading("第一章", level=1)
    document.add_heading("第一篇", level=2)
    document.add_paragraph("正文一")
    document.add_heading("第二篇", level=2)
    document.add_paragraph("正文二")
    path = tmp_path / "chapters.docx"
    document.save(path)
    import_docx(path, unit="guangming")
    compilation = CompilationPage.objects.get(source_id="docx:chapters.docx")
    move_to_bin(compilation)
    report = import_docx(path, unit="guangming", restore_deleted=True)
    assert report.skipped == [] and report.errors == []
    assert (report.created, report.updated) == (0, 3)
    compilation.refresh_from_db()
    assert not is_in_bin(compilation) and compilation.get_parent().slug == "guangming"
    assert not BinEntry.objects.exists()
    titles = [a.title for s in compilation.outline() for a in s.articles]
    assert titles == ["第一篇", "第二篇"]
    assert SearchDocument.objects.filter(source_id__startswith="docx:chapters.docx#").count() == 2
