"""The shipped thesaurus in the admin's synonym list: loaded by setup_site and
load_thesaurus, idempotent, editors' groups kept, groups the measurement drops skipped."""

import io

import pytest
from django.core.management import call_command

from search import thesaurus
from search.models import Synonym
from search.query import SearchRequest
from search.service import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(tmp_path, monkeypatch):
    """A thesaurus and a dropped list of our own in place of the shipped ones."""
    shipped, dropped = tmp_path / "thesaurus.txt", tmp_path / "dropped.txt"
    monkeypatch.setattr(thesaurus, "THESAURUS", shipped)
    monkeypatch.setattr(thesaurus, "DROPPED", dropped)
    return shipped, dropped


def groups(origin):
    return sorted(str(s) for s in Synonym.objects.filter(origin=origin))


def test_the_file_format():
    path_groups = thesaurus.read_groups(thesaurus.THESAURUS)
    assert len(path_groups) >= 170  # the shipped file, as the other half of issue 16 wrote it
    assert all(len(group) >= 2 and not any("#" in t for t in group) for group in path_groups)


def test_loading_is_idempotent_and_keeps_editors_groups(files):
    shipped, _dropped = files
    Synonym.objects.all().delete()
    Synonym.objects.create(terms="红色先锋队 = 红色先锋服务队")  # an editor's own
    shipped.write_text(
        "# comment\n双报到 = 在职党员到社区报到 # trailing\n物管 ＝ 物业管理\n\n单个词\n",
        encoding="utf-8",
    )
    assert thesaurus.load_thesaurus() == (2, 0, 0)
    assert groups(Synonym.THESAURUS) == ["双报到 = 在职党员到社区报到", "物管 = 物业管理"]
    assert thesaurus.load_thesaurus() == (0, 0, 2)  # again: nothing changes
    # A group taken out of the file goes; a new one comes; the editor's stays.
    shipped.write_text("物管 = 物业管理\n楼长 = 楼栋长\n", encoding="utf-8")
    assert thesaurus.load_thesaurus() == (1, 1, 1)
    assert groups(Synonym.THESAURUS) == ["楼长 = 楼栋长", "物管 = 物业管理"]
    assert groups(Synonym.EDITOR) == ["红色先锋队 = 红色先锋服务队"]


def test_an_editors_group_is_not_loaded_twice(files):
    shipped, _dropped = files
    Synonym.objects.all().delete()
    Synonym.objects.create(terms="物业管理, 物管")
    shipped.write_text("物管 = 物业管理\n", encoding="utf-8")
    assert thesaurus.load_thesaurus() == (0, 0, 0)
    assert Synonym.objects.count() == 1


def test_groups_that_hurt_are_skipped_and_the_load_is_searched(files):
    shipped, dropped = files
    shipped.write_text("物管 = 物业管理\n党校 = 党建\n", encoding="utf-8")
    report = {"groups": [
        {"terms": ["物管", "物业管理"], "queries": ["物管"], "gain": 0.2},
        {"terms": ["党校", "党建"], "queries": ["党校"], "gain": -0.5},
    ]}  # fmt: skip
    thesaurus.write_dropped(report)
    assert "党校 = 党建  # -0.500 on 党校" in dropped.read_text(encoding="utf-8")
    call_command("load_thesaurus", stdout=io.StringIO())
    assert groups(Synonym.THESAURUS) == ["物管 = 物业管理"]
    from search.harness import feed

    feed([{"id": "p1", "type": "case", "title": "物业管理进小区", "body": "红色物业。"}])
    response, _parsed = run(SearchRequest(q="物管"))
    assert [h.document.source_id for h in response.results] == ["p1"]


def test_setup_site_loads_it(files):
    shipped, _dropped = files
    shipped.write_text("楼长 = 楼栋长\n", encoding="utf-8")
    call_command("setup_site", stdout=io.StringIO())
    call_command("setup_site", stdout=io.StringIO())
    assert groups(Synonym.THESAURUS) == ["楼长 = 楼栋长"]


def test_measurement_finds_a_group_that_hurts(demo):
    # 党校 and 党建 are different words (a distractor pair of the labelled set): a group
    # making them one must show as hurting on the queries it touches.
    report = thesaurus.measure(groups=[["党校", "党建"]])
    [group] = report["groups"]
    assert "党校" in group["queries"] and group["gain"] < 0
    assert report["kept"] == report["none"]
