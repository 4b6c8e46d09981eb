"""Each private Wagtail, treebeard or modelcluster API the import relies on still does
what we rely on (plugins/archive/wagtail_private.py): after an upgrade, the test that
fails names the internal that changed. Each compares with Wagtail's public way."""

import datetime

import pytest
import wagtail
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageLogEntry, ReferenceIndex

from plugins.activities.models import ActivityKind, ActivityPage
from plugins.archive import wagtail_private
from plugins.archive.api import publish_fields
from plugins.orgs.models import CommunityPage, ResidentUnitPage


def test_the_installed_wagtail_is_a_tested_one_and_others_are_refused():
    wagtail_private.check_version()  # the installed version: no error
    wagtail_private.check_version((8, 0, 9, "final", 0))
    for other in [(8, 1, 0, "final", 0), (7, 2, 0, "final", 0), (9, 0, 0, "final", 0)]:
        with pytest.raises(ImproperlyConfigured, match="test_wagtail_private"):
            wagtail_private.check_version(other)
    assert tuple(wagtail.VERSION[:2]) in wagtail_private.TESTED_WAGTAIL


def _section(title):
    root = Page.get_first_root_node()
    return root.add_child(instance=Page(title=title, slug=title))


@pytest.mark.django_db
def test_first_child_path_is_the_path_add_child_gives_a_first_child():
    parent = _section("path-parent")
    expected = wagtail_private.first_child_path(parent.path, parent.depth + 1)
    child = parent.add_child(instance=Page(title="first", slug="first"))
    assert child.path == expected and child.depth == parent.depth + 1


@pytest.mark.django_db
def test_next_sibling_path_is_the_path_add_child_gives_the_next_child():
    parent = _section("sibling-parent")
    first = parent.add_child(instance=Page(title="one", slug="one"))
    expected = wagtail_private.next_sibling_path(first.path, first.depth)
    parent.refresh_from_db()
    second = parent.add_child(instance=Page(title="two", slug="two"))
    assert second.path == expected != first.path


def _unsaved_child(parent, slug):
    page = Page(title=slug, slug=slug, **publish_fields())
    page.depth = parent.depth + 1
    page.path = wagtail_private.first_child_path(parent.path, page.depth)
    page.locale_id = parent.locale_id
    return page


def _before_insert(queries):
    """The queries ``Page.save`` makes before its INSERT (where it reads the parent)."""
    sql = [q["sql"] for q in queries.captured_queries]
    first = next(i for i, q in enumerate(sql) if q.startswith('INSERT INTO "wagtailcore_page"'))
    return sql[:first]


@pytest.mark.django_db
def test_saving_new_child_spares_the_parent_and_site_lookups():
    parent = _section("save-parent")
    # Wagtail's own save reads the parent (for url_path) and asks whether the page
    # roots a site: the two lookups the shortcut must still spare.
    plain = _unsaved_child(Page.objects.get(pk=parent.pk), "plain")
    with CaptureQueriesContext(connection) as queries:
        plain.save(clean=False, log_action=None)
    everything = [q["sql"] for q in queries.captured_queries]
    assert any('FROM "wagtailcore_site"' in q for q in everything)
    assert any('FROM "wagtailcore_page"' in q for q in _before_insert(queries))
    plain.delete()

    parent = Page.objects.get(pk=parent.pk)
    page = _unsaved_child(parent, "quick")
    with (
        CaptureQueriesContext(connection) as queries,
        wagtail_private.saving_new_child(page, parent),
    ):
        page.save(clean=False, log_action=None)
    assert not any(q.startswith("SELECT") for q in _before_insert(queries))
    assert not any('FROM "wagtailcore_site"' in q["sql"] for q in queries.captured_queries)
    assert page.url_path == f"{parent.url_path}quick/"
    assert Page.objects.get(pk=page.pk).url_path == page.url_path
    assert "_is_site_root" not in page.__dict__  # not left to mislead a later save


@pytest.mark.django_db
def test_creation_log_entry_is_the_entry_page_save_writes():
    parent = _section("log-parent")
    made = parent.add_child(instance=Page(title="logged", slug="logged"))
    wagtails = PageLogEntry.objects.get(page=made, action="wagtail.create")
    entry = wagtail_private.creation_log_entry(made)
    fields = ["content_type_id", "label", "action", "data", "user_id", "content_changed",
              "page_id", "revision_id", "deleted"]  # fmt: skip
    assert [getattr(entry, f) for f in fields] == [getattr(wagtails, f) for f in fields]
    assert abs(entry.timestamp - wagtails.timestamp) < datetime.timedelta(minutes=1)
    entry.save()  # a valid row as built
    assert PageLogEntry.objects.filter(page=made, action="wagtail.create").count() == 2


@pytest.mark.django_db
def test_new_reference_rows_are_the_rows_wagtail_indexes(demo):
    page = ActivityPage.objects.filter(kind__isnull=False).exclude(tagged_items=None).first()
    ReferenceIndex.create_or_update_for_object(page)
    columns = ["content_type_id", "base_content_type_id", "object_id", "to_content_type_id",
               "to_object_id", "model_path", "content_path", "content_path_hash"]  # fmt: skip
    wagtails = set(ReferenceIndex.objects.filter(object_id=str(page.pk),
                   base_content_type__model="page").values_list(*columns))  # fmt: skip
    ours = {
        tuple(str(v) if c == "object_id" else v for c, v in
              zip(columns, (getattr(row, c) for c in columns), strict=True))
        for row in wagtail_private.new_reference_rows(page)
    }  # fmt: skip
    assert len(wagtails) >= 2  # the kind and a tag at least
    assert ours == wagtails


@pytest.mark.django_db
def test_has_unsaved_relations_sees_tags_and_units_set_in_memory(demo):
    community = CommunityPage.objects.first()
    kind = ActivityKind.objects.first()
    page = ActivityPage(title="内存中的关系", date=datetime.date(2020, 1, 1), kind=kind)
    assert not wagtail_private.has_unsaved_relations(page)
    page.tags.set(["共建"])
    assert wagtail_private.has_unsaved_relations(page)
    other = ActivityPage(title="参与单位", date=datetime.date(2020, 1, 1), kind=kind)
    other.participating_units.set(list(ResidentUnitPage.objects.all()[:1]))
    assert wagtail_private.has_unsaved_relations(other)
    community.add_child(instance=other)
    fresh = ActivityPage.objects.get(pk=other.pk)
    assert not wagtail_private.has_unsaved_relations(fresh)


@pytest.mark.django_db
def test_unsaved_relation_names_are_the_relations_set_in_memory(demo):
    kind = ActivityKind.objects.first()
    page = ActivityPage(title="未保存的关系", date=datetime.date(2020, 1, 1), kind=kind)
    assert wagtail_private.unsaved_relation_names(page) == set()
    page.tags.set(["共建"])
    page.participating_units.set(list(ResidentUnitPage.objects.all()[:1]))
    assert wagtail_private.unsaved_relation_names(page) == {"tagged_items", "participating_units"}
    CommunityPage.objects.first().add_child(instance=page)
    assert wagtail_private.unsaved_relation_names(page) == set()  # save committed them


@pytest.mark.django_db
def test_held_children_are_read_without_a_query_until_released(demo):
    page = ActivityPage.objects.exclude(tagged_items=None).first()
    stored = list(page.tagged_items.select_related("tag"))  # as the import builds them
    page = ActivityPage.objects.get(pk=page.pk)
    with CaptureQueriesContext(connection) as queries:
        wagtail_private.hold_children(page, {"tagged_items": stored, "gallery_images": []})
        assert list(page.tagged_items.all()) == stored
        assert [tag.name for tag in page.tags.all()] == [item.tag.name for item in stored]
        assert list(page.gallery_images.all()) == []
    assert len(queries) == 0
    wagtail_private.release_children(page, ["tagged_items", "gallery_images"])
    assert wagtail_private.unsaved_relation_names(page) == set()
    with CaptureQueriesContext(connection) as queries:
        assert sorted(item.pk for item in page.tagged_items.all()) == sorted(
            item.pk for item in stored
        )
    assert len(queries) == 1  # from the database again
