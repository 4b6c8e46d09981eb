"""Relevance on the labelled set (fixtures/search_eval/), against the same numbers for
stock Wagtail; the evaluation leaves the database as it found it."""

import math

import pytest

from search.evaluation import evaluate, load_set, score
from search.models import SearchDocument
from search.query import SearchRequest
from search.service import run


def test_scoring_arithmetic():
    assert score(["a", "x", "b"], ["a", "b"]).recall == 1.0
    assert score(["x", "b"], ["a", "b"]).mrr == 0.5
    assert score(["x"], ["a"]).recall == 0.0 and score(["x"], ["a"]).mrr == 0.0
    # nDCG: binary gains discounted by log2 of the rank + 1, over the ideal order.
    assert score(["a", "b"], ["a", "b"]).ndcg == 1.0
    assert score(["x", "a"], ["a"]).ndcg == pytest.approx(1 / math.log2(3))
    # recall@k out of the records one page can hold.
    many = [f"r{i}" for i in range(20)]
    assert score(many[:10], many, k=10).recall == 1.0
    assert score(many[:5] + ["x"] * 5, many, k=10).recall == 0.5


def test_the_labelled_set_is_big_enough_and_consistent():
    records, queries = load_set()
    ids = {r["id"] for r in records}
    assert len(queries) >= 40
    assert all(set(q["relevant"]) <= ids for q in queries)
    kinds = {q["kind"] for q in queries}
    assert {"word inside compounds", "multi-word", "place + year", "synonym"} <= kinds
    assert any(k.startswith("distractor") for k in kinds)


@pytest.mark.django_db
def test_relevance_beats_stock_wagtail_and_the_naive_baseline(demo):
    before = SearchDocument.objects.count()
    report = evaluate(k=10)
    ours, stock, naive = report["gongjian"], report["stock"], report["naive"]
    # Floors under today's numbers on both databases (README, search section: SQLite
    # 0.92 / 0.95, PostgreSQL 0.89 / 0.95, synonyms 0.83 / 0.82), so a change that loses
    # relevance fails here; issue 16's recall target (0.95) is not reached yet.
    assert ours["recall"] >= 0.87 and ours["mrr"] >= 0.92, ours
    assert ours["synonym"] >= 0.78, ours
    for metric in ("recall", "mrr", "ndcg", "synonym"):
        assert ours[metric] > naive[metric] > stock[metric] - 1e-9, metric
    assert report["synonym_queries"] >= 35
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
