"""Totals and facets of the database backend: exact for ordinary result sets, estimated
from an even sample (and said to be) for very large ones, the total always exact."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.backends import database
from search.harness import feed
from search.query import SearchRequest
from search.service import run

TYPES = ("activity", "case", "compilation_article")
COMMUNITIES = ("幸福里社区", "光明社区")


def records(count):
    for n in range(count):
        yield {
            "id": f"f{n}",
            "type": TYPES[n % 3],
            "title": f"联席会议纪要{n}",
            "body": "社区党建联席会议。" + ("共驻共建。" if n % 4 == 0 else ""),
            "date": f"{2019 + n % 5}-03-0{1 + n % 9}",
            "unit": f"江北区/新华街道/{COMMUNITIES[n % 2]}",
            "tags": ["志愿服务"] + (["双报到"] if n % 5 == 0 else []),
        }


def expected(docs, key):
    return Counter(key(d) for d in docs)


def buckets(response, name):
    return {b["value"]: b["count"] for b in response.facets[name]}


@pytest.fixture
def archive(db):
    docs = list(records(240))
    feed(docs)
    return docs


def test_facets_are_exact_below_the_sampling_limit(archive):
    response, _ = run(SearchRequest(q="联席会议"))
    assert response.total == 240 and not response.facets_approximate
    assert buckets(response, "type") == expected(archive, lambda d: d["type"])
    assert buckets(response, "year") == expected(archive, lambda d: int(d["date"][:4]))
    # Years newest first, as integers (the grouped pass reads them as text).
    assert [b["value"] for b in response.facets["year"]] == [2023, 2022, 2021, 2020, 2019]
    assert buckets(response, "community") == expected(archive, lambda d: d["unit"].split("/")[2])
    assert buckets(response, "tag") == {"志愿服务": 240, "双报到": 48}
    assert buckets(response, "district") == {"江北区": 240}

    # With filters the total and the facets count only the filtered matches.
    narrowed, _ = run(SearchRequest(q="共驻共建", community="幸福里社区"))
    wanted = [d for d in archive if "共驻共建" in d["body"] and "幸福里社区" in d["unit"]]
    assert narrowed.total == len(wanted) == 60
    assert buckets(narrowed, "community") == {"幸福里社区": 60}
    assert buckets(narrowed, "type") == expected(wanted, lambda d: d["type"])

    # Filters without a query word: counted over the document table.
    only_type, _ = run(SearchRequest(type="case"))
    assert only_type.total == 80 and buckets(only_type, "type") == {"case": 80}


def test_large_result_sets_estimate_facets_from_a_sample(archive, monkeypatch):
    exact, _ = run(SearchRequest(q="联席会议", per_page=20))
    monkeypatch.setattr(database, "FACET_ROWS", 120)
    sampled, _ = run(SearchRequest(q="联席会议", per_page=20))
    if connection.vendor == "postgresql":
        # PostgreSQL reads every matching row to count them anyway: always exact.
        assert not sampled.facets_approximate and sampled.facets == exact.facets
        return
    # The total and the ranked page do not depend on the facet sample.
    assert sampled.total == 240 and sampled.facets_approximate
    assert [h.document.pk for h in sampled.results] == [h.document.pk for h in exact.results]
    # Every bucket of some size is still there, the larger ones near their true count
    # (a sample of about 120 here; a loose bound, the hash sample is not tuned to it).
    for name in ("type", "year", "community", "tag"):
        truth, estimate = buckets(exact, name), buckets(sampled, name)
        assert {value for value, count in truth.items() if count >= 40} <= set(estimate), name
        for value in (value for value, count in truth.items() if count >= 80):
            assert abs(estimate[value] - truth[value]) <= 0.5 * truth[value], (name, value)
    # Scaled so that the type buckets (every document has one) add up to the total.
    assert abs(sum(buckets(sampled, "type").values()) - 240) <= 2
    assert sampled.as_dict()["facets_approximate"] is True


def test_search_page_marks_estimated_counts(archive, client, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite estimates facets")
    page = client.get("/search/", {"q": "联席会议"})
    assert page.status_code == 200 and "约" not in page.content.decode().split("facets")[1]
    monkeypatch.setattr(database, "FACET_ROWS", 120)
    page = client.get("/search/", {"q": "联席会议"})
    assert page.status_code == 200
    assert "共找到 <strong>240</strong> 条结果" in page.content.decode()
    assert '<span class="count">(约' in page.content.decode()


def test_one_search_is_a_fixed_handful_of_queries(archive, django_assert_max_num_queries):
    # Count, facets, ranked page, the page's documents, search promotions (+ synonyms).
    with django_assert_max_num_queries(6):
        response, _ = run(SearchRequest(q="联席会议"))
    assert response.total == 240


def test_no_match_is_an_empty_response(archive):
    response, _ = run(SearchRequest(q="不存在的词语"))
    assert response.total == 0 and response.results == [] and response.facets == {}


@pytest.mark.django_db
def test_the_facet_pass_reads_the_covering_index_on_sqlite(db):
    """Migration 0007 restores the index 0004's table rebuild dropped; the facet pass names
    it, since SQLite's planner would read every sampled match's whole row instead."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL reads the matches' rows from the GIN bitmap scan either way")
    feed(records(30))
    with CaptureQueriesContext(connection) as queries:
        response, _parsed = run(SearchRequest(q="联席会议"))
    assert response.total == 30 and sum(f["count"] for f in response.facets["type"]) == 30
    [facet_sql] = [q["sql"] for q in queries.captured_queries if "WITH sample" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + facet_sql.replace("%", "%%"))
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert f"COVERING INDEX {database.FACET_INDEX}" in plan
