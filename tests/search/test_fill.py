"""A short result list is filled (issue 16): after the records matching the query's
words come those sharing only part of a word, never before them; a single character
that jieba leaves alone is not a word to match. Through the real query API on the
database in use (SQLite FTS5 or PostgreSQL)."""

import pytest

from search.harness import feed
from search.query import FILL, SearchRequest, parse
from search.service import run

pytestmark = pytest.mark.django_db


def ids(q):
    response, _parsed = run(SearchRequest(q=q, per_page=50))
    return [hit.document.source_id for hit in response.results]


def record(sid, title, body=""):
    return {"id": sid, "type": "activity", "title": title, "body": body,
            "date": "2023-05-01", "unit": "江北区/新华街道/幸福里社区"}  # fmt: skip


def test_a_short_list_is_filled_with_records_sharing_part_of_a_word(db):
    feed([
        record("exact", "停车难问题居民议事", "居民议事解决停车难。"),
        record("part", "医院旁小区停车秩序整治", "规范停车秩序。"),
        record("none", "垃圾分类督导", "督导员上岗。"),
    ])  # fmt: skip
    found = ids("停车难")
    # 停车难 is one word; 停车 is its part in search mode and stands for it alone.
    assert found[:2] == ["exact", "part"]
    assert "none" not in found


def test_a_full_list_is_not_filled(db):
    feed(
        [record(f"exact{i}", f"停车难议事第{i}次", "停车难。") for i in range(FILL)]
        + [record("part", "停车秩序整治", "规范停车秩序。")]
    )
    response, _parsed = run(SearchRequest(q="停车难", per_page=50))
    assert response.total == FILL
    assert "part" not in [hit.document.source_id for hit in response.results]


def test_a_lone_character_is_not_a_word_to_match(db):
    feed([
        record("care", "暑假托管班开班", "托管班照顾孩子。"),
        record("look", "违建整治回头看", "暑假前再看一看，看看整改。"),
    ])  # fmt: skip
    assert [alt for clause in parse("暑假看孩子").clauses for alt in clause] == [["暑假"], ["孩子"]]
    # 暑假 and 看 made two of three words for the second record, ranked first for its 看s.
    assert ids("暑假看孩子")[0] == "care"
    # A query of one character still searches for it.
    assert parse("看").clauses == [[["看"]]]
