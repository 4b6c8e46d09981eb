"""Relevance on the labelled set (fixtures/search_eval/), against the same numbers for
stock Wagtail; the evaluation leaves the database as it found it."""

import pytest

from search.evaluation import evaluate, load_set, score
from search.models import SearchDocument
from search.query import SearchRequest
from search.service import run


def test_scoring_arithmetic():
    assert score(["a", "x", "b"], ["a", "b"]).recall == 1.0
    assert score(["x", "b"], ["a", "b"]).mrr == 0.5
    assert score(["x"], ["a"]).recall == 0.0 and score(["x"], ["a"]).mrr == 0.0


def test_the_labelled_set_is_big_enough_and_consistent():
    records, queries = load_set()
    ids = {r["id"] for r in records}
    assert len(queries) >= 40
    assert all(set(q["relevant"]) <= ids for q in queries)
    kinds = {q["kind"] for q in queries}
    assert {"word inside compounds", "multi-word", "place + year", "synonym"} <= kinds
    assert any(k.startswith("distractor") for k in kinds)


@pytest.mark.django_db
def test_recall_at_10_meets_the_target_and_beats_stock_wagtail(demo):
    before = SearchDocument.objects.count()
    report = evaluate(k=10)
    assert report["gongjian"]["recall"] >= 0.9, report["gongjian"]
    assert report["gongjian"]["mrr"] >= 0.8
    assert report["gongjian"]["recall"] > report["stock"]["recall"]
    assert SearchDocument.objects.count() == before  # rolled back


@pytest.mark.django_db
def test_tag_filter_and_facet(db):
    from search.harness import feed

    feed([
        {"id": "t1", "title": "联席会议甲", "body": "党建", "tags": ["联席会议", "志愿服务"]},
        {"id": "t2", "title": "联席会议乙", "body": "党建", "tags": ["志愿服务"]},
        {"id": "t3", "title": "联席会议丙", "body": "党建", "tags": []},
    ])  # fmt: skip
    response, _ = run(SearchRequest(q="党建"))
    assert {"value": "志愿服务", "count": 2} in response.facets["tag"]
    assert {"value": "联席会议", "count": 1} in response.facets["tag"]
    tagged, _ = run(SearchRequest(q="党建", tag="志愿服务"))
    assert sorted(h.document.source_id for h in tagged.results) == ["t1", "t2"]
    # A tag is matched whole: 志愿 is not 志愿服务.
    assert run(SearchRequest(q="党建", tag="志愿"))[0].total == 0
