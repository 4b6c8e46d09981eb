"""What the import writes in bulk beside the pages is what Wagtail writes page by page:
reference index rows, "used by" counts, creation log entries, the tree's child counts."""

import json

import pytest
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, ReferenceIndex

from plugins.activities.models import ActivityKind, ActivityPage
from plugins.archive.api import RecordError, import_jsonl
from plugins.cases import archive as case_archive
from plugins.cases.models import CasePage
from plugins.orgs.models import CommunityPage

RECORDS = [
    {"id": "R-1", "type": "activity", "title": "志愿服务进社区", "body": "正文",
     "date": "2020-03-05", "unit": "jiangbei/xinhua/xingfuli", "tags": ["志愿", "学雷锋"],
     "kind": "志愿服务"},
    {"id": "R-2", "type": "activity", "title": "主题党日", "body": "正文", "date": "2020-04-01",
     "unit": "jiangbei/xinhua/xingfuli", "tags": ["志愿"], "kind": "主题党日"},
    {"id": "R-3", "type": "case", "title": "共建案例", "body": "案例", "date": "2020-05-01",
     "unit": "jiangbei/xinhua/xingfuli", "tags": ["共建"]},
    {"id": "R-4", "type": "compilation_article", "title": "汇编文章", "body": "文章",
     "date": "2020-06-01", "unit": "jiangbei/xinhua/xingfuli", "chapter": "第一章"},
]  # fmt: skip


def write(tmp_path, records):
    path = tmp_path / "refs.jsonl"
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rows_of(page_ids):
    return set(
        ReferenceIndex.objects.filter(object_id__in=[str(pk) for pk in page_ids]).values_list(
            "content_type_id", "base_content_type_id", "object_id", "to_content_type_id",
            "to_object_id", "model_path", "content_path", "content_path_hash",
        )
    )  # fmt: skip


def imported_ids():
    return [
        *ActivityPage.objects.filter(source_id__startswith="R-").values_list("pk", flat=True),
        *CasePage.objects.filter(source_id__startswith="R-").values_list("pk", flat=True),
    ] + list(
        Page.objects.filter(title__in=["汇编文章", "第一章", "2020年经验汇编（档案）"]).values_list(
            "pk", flat=True
        )
    )


@pytest.mark.django_db
def test_references_of_imported_records_are_found(demo, tmp_path):
    kind = ActivityKind.objects.get(name="志愿服务")
    before = {ref.object_id for ref in ReferenceIndex.get_references_to(kind)}
    demo_tag = Tag.objects.filter(name="共建").first()
    tag_before = (
        {ref.object_id for ref in ReferenceIndex.get_references_to(demo_tag)} if demo_tag else set()
    )
    report = import_jsonl(write(tmp_path, RECORDS), progress=False)
    assert report.errors == [] and report.created == 4
    one = ActivityPage.objects.get(source_id="R-1")
    assert one.kind == kind
    users = {ref.object_id for ref in ReferenceIndex.get_references_to(kind)}
    assert users == before | {str(one.pk)}
    volunteer = Tag.objects.get(name="志愿")
    tagged = {ref.object_id for ref in ReferenceIndex.get_references_to(volunteer)}
    assert tagged == {str(one.pk), str(ActivityPage.objects.get(source_id="R-2").pk)}
    case = CasePage.objects.get(source_id="R-3")
    found = ReferenceIndex.get_references_to(Tag.objects.get(name="共建"))
    assert {ref.object_id for ref in found} == tag_before | {str(case.pk)}


@pytest.mark.django_db
def test_reference_rows_are_those_wagtail_writes_page_by_page(demo, tmp_path):
    import_jsonl(write(tmp_path, RECORDS), progress=False)
    ids = imported_ids()
    assert len(ids) == 6  # 3 records + article, chapter and compilation
    bulk = rows_of(ids)
    assert bulk
    for page in Page.objects.filter(pk__in=ids).specific():
        ReferenceIndex.create_or_update_for_object(page)
    assert rows_of(ids) == bulk


@pytest.mark.django_db
def test_used_by_count_of_the_parent_and_tree_counts_stay_right(demo, tmp_path):
    parent = CommunityPage.objects.get(slug="xingfuli")
    used_by = ReferenceIndex.get_references_to(parent).count()
    children = parent.get_children().count()
    import_jsonl(write(tmp_path, RECORDS), progress=False)
    parent.refresh_from_db()
    # the parent is referenced by nothing new (children do not reference their parent)
    assert ReferenceIndex.get_references_to(parent).count() == used_by
    # the two activities, the case and the compilation holding the article
    assert parent.get_children().count() == children + 4
    assert parent.numchild == children + 4
    assert all(not problems for problems in Page.find_problems())


@pytest.mark.django_db
def test_each_imported_page_has_its_creation_log_entry(demo, tmp_path):
    import_jsonl(write(tmp_path, RECORDS), progress=False)
    for pk in imported_ids():
        page = Page.objects.get(pk=pk).specific
        entries = PageLogEntry.objects.filter(page=page, action="wagtail.create")
        assert [(e.label, e.content_changed) for e in entries] == [(page.title, True)]
        assert entries[0].content_type.model_class() is type(page)


@pytest.mark.django_db
def test_a_record_that_fails_after_saving_leaves_no_count_or_log(demo, tmp_path, monkeypatch):
    original = case_archive.CaseImporter.import_record

    def failing(self, record, parent):
        page, created = original(self, record, parent)
        raise RecordError("测试：保存后失败")

    monkeypatch.setattr(case_archive.CaseImporter, "import_record", failing)
    parent = CommunityPage.objects.get(slug="xingfuli")
    children = parent.get_children().count()
    logs = PageLogEntry.objects.count()
    report = import_jsonl(write(tmp_path, RECORDS), progress=False)
    assert report.errors == [(3, "测试：保存后失败")]
    assert not CasePage.objects.filter(source_id="R-3").exists()
    parent.refresh_from_db()
    assert parent.numchild == parent.get_children().count() == children + 3
    assert PageLogEntry.objects.count() == logs + 5  # 2 activities, compilation, chapter, article
    assert all(not problems for problems in Page.find_problems())
