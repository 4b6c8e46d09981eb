"""The Elasticsearch backend as data: no server can run on these machines, so its
mappings, analyzers, bulk actions and query bodies are checked as what they send.
(With ELASTICSEARCH_URL set, test_behaviour.py runs the whole suite against a server.)"""

from datetime import date

import pytest

from search.backends.elasticsearch import (
    ALIAS,
    build_search,
    bulk_actions,
    index_definition,
    template_body,
)
from search.models import SearchDocument
from search.query import SearchRequest, parse


def test_index_needs_no_plugin_and_matches_the_database_tokens():
    body = index_definition(f"{ALIAS}-1").to_dict()
    analyzer = body["settings"]["analysis"]["analyzer"]["gongjian_tokens"]
    # Stock whitespace tokenizer and lowercase filter: text arrives pre-segmented by jieba.
    assert analyzer == {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]}
    properties = body["mappings"]["properties"]
    assert properties["title_tokens"] == {"type": "text", "analyzer": "gongjian_tokens"}
    assert properties["body_tokens"] == {"type": "text", "analyzer": "gongjian_tokens"}
    for keyword in ("doc_type", "district", "street", "community", "tags", "org_path"):
        assert properties[keyword] == {"type": "keyword"}
    assert properties["date"] == {"type": "date"}


def test_template_covers_every_rebuilt_index():
    template = template_body()
    assert template["index_patterns"] == [f"{ALIAS}-*"]
    assert "gongjian_tokens" in str(template["template"]["settings"])


def test_bulk_actions_carry_the_segmented_fields():
    document = SearchDocument(
        pk=7, page_id=42, doc_type="activity", source_id="A-1", title="联席会议",
        body="区域化党建", date=date(2021, 3, 1), year=2021, district="江北区",
        title_tokens="联席 会议 联席会议", body_tokens="区域 党建 区域化 区域化党建",
    )  # fmt: skip
    document.tag_list = SearchDocument.join_tags(["联席会议"])
    [action] = list(bulk_actions([document], index="x"))
    assert action["_op_type"] == "index" and action["_index"] == "x" and action["_id"] == 7
    source = action["_source"]
    assert source["date"] == "2021-03-01" and source["tags"] == ["联席会议"]
    assert source["body_tokens"] == "区域 党建 区域化 区域化党建"


@pytest.mark.django_db
def test_query_body_mirrors_the_parsed_query():
    parsed = parse("双报到 党建", [["双报到", "在职党员到社区报到"]])
    request = SearchRequest(q="双报到 党建", type="case", year=2021, unit="jiangbei/xinhua",
                            page=2, per_page=5)  # fmt: skip
    body = build_search(request, parsed).to_dict()
    must = body["query"]["bool"]["must"]
    assert len(must) == len(parsed.clauses) == 2
    synonym_clause = must[0]["bool"]["should"]
    assert len(synonym_clause) == len(parsed.clauses[0]) >= 2
    token_query = synonym_clause[0]["bool"]["must"][0]["multi_match"]
    assert token_query["query"] == "双报到"
    assert token_query["fields"] == ["title_tokens^8", "body_tokens"]
    filters = body["query"]["bool"]["filter"]
    assert {"term": {"doc_type": "case"}} in filters
    assert {"term": {"year": 2021}} in filters
    assert any("bool" in f and {"prefix": {"org_path": "jiangbei/xinhua/"}} in f["bool"]["should"]
               for f in filters)  # fmt: skip
    assert body["from"] == 5 and body["size"] == 5
    assert set(body["aggs"]) == {"type", "year", "district", "street", "community", "tag"}
    assert body["track_total_hits"] is True


def test_user_syntax_never_reaches_the_engine_as_syntax():
    parsed = parse('党建" OR title:*', [])
    body = build_search(SearchRequest(q="x"), parsed).to_dict()
    queries = [c["bool"]["should"][0]["bool"]["must"][0]["multi_match"]["query"]
               for c in body["query"]["bool"]["must"]]  # fmt: skip
    assert queries == ["党建", "or", "title"]
