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
    for field in ("title_tokens", "tag_tokens", "org_tokens", "body_tokens"):
        assert properties[field] == {"type": "text", "analyzer": "gongjian_tokens"}
    for keyword in ("doc_type", "district", "street", "community", "tags", "org_path",
                    "collapse_key"):  # fmt: skip
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
    # A document that is nobody's copy collapses with nothing: a key of its own.
    assert source["collapse_key"] == "doc-7"
    document.collapse_key = "case:联席会议"
    [action] = list(bulk_actions([document], index="x"))
    assert action["_source"]["collapse_key"] == "case:联席会议"


def words_and_bonuses(body):
    query = body["query"]["bool"]
    [words] = query["must"]
    return words["bool"], query["should"], query.get("filter", [])


@pytest.mark.django_db
def test_query_body_mirrors_the_parsed_query():
    parsed = parse("双报到 党建", [["双报到", "在职党员到社区报到"]])
    request = SearchRequest(q="双报到 党建", type="case", year=2021, unit="jiangbei/xinhua",
                            page=2, per_page=5)  # fmt: skip
    body = build_search(request, parsed).to_dict()
    words, bonuses, filters = words_and_bonuses(body)
    # minimum_should_match as the database backend counts it: both of two words.
    assert words["minimum_should_match"] == "2<75%"
    assert len(words["should"]) == len(parsed.clauses) == 2
    synonym_clause = words["should"][0]["bool"]
    assert synonym_clause["minimum_should_match"] == 1
    assert len(synonym_clause["should"]) == len(parsed.clauses[0]) >= 2
    first = synonym_clause["should"][0]["multi_match"]
    assert first["query"] == "双报到" and first["operator"] == "and"
    # Every weighted field, with the database backend's weights as boosts.
    assert first["fields"] == ["title_tokens^10", "tag_tokens^5", "org_tokens", "body_tokens"]
    assert first["type"] == "cross_fields"
    # Records with every word first, records before organisation pages.
    all_words, records = bonuses
    assert all_words["constant_score"]["boost"] > records["constant_score"]["boost"] > 10
    assert all_words["constant_score"]["filter"]["bool"]["must"] == words["should"]
    assert records["constant_score"]["filter"] == {
        "bool": {"must_not": [{"term": {"doc_type": "organisation"}}]}
    }
    assert {"term": {"doc_type": "case"}} in filters
    assert {"term": {"year": 2021}} in filters
    assert any("bool" in f and {"prefix": {"org_path": "jiangbei/xinhua/"}} in f["bool"]["should"]
               for f in filters)  # fmt: skip
    assert body["from"] == 5 and body["size"] == 5
    assert set(body["aggs"]) == {"type", "year", "district", "street", "community", "tag",
                                 "all_words"}  # fmt: skip
    assert body["aggs"]["all_words"]["filter"]["bool"]["must"] == words["should"]
    assert body["track_total_hits"] is True
    # One result per underlying case.
    assert body["collapse"] == {"field": "collapse_key"}


@pytest.mark.django_db
def test_three_words_need_two_and_the_fallback_one():
    parsed = parse("社区 志愿服务 义诊", [])
    assert len(parsed.clauses) == 3 and parsed.minimum_should_match == 2
    words, _bonuses, _filters = words_and_bonuses(build_search(SearchRequest(), parsed).to_dict())
    assert words["minimum_should_match"] == "2<75%"  # Elasticsearch: 2 of 3
    assert parsed.fallback_tier() == (1, 2)
    relaxed = build_search(SearchRequest(), parsed, minimum_should_match=1).to_dict()
    assert words_and_bonuses(relaxed)[0]["minimum_should_match"] == 1


def test_a_query_naming_an_organisation_ranks_organisations_with_records():
    parsed = parse("幸福里社区", [])
    parsed.names_organisation = True
    _words, bonuses, _filters = words_and_bonuses(build_search(SearchRequest(), parsed).to_dict())
    assert len(bonuses) == 1 and "must" in bonuses[0]["constant_score"]["filter"]["bool"]


def test_date_order_does_not_collapse():
    parsed = parse("党建", [])
    body = build_search(SearchRequest(q="党建", sort="date"), parsed).to_dict()
    assert "collapse" not in body and body["sort"][0] == {"date": {"order": "desc"}}


def test_user_syntax_never_reaches_the_engine_as_syntax():
    parsed = parse('党建" OR title:*', [])
    body = build_search(SearchRequest(q="x"), parsed).to_dict()
    words, _bonuses, _filters = words_and_bonuses(body)
    queries = [c["multi_match"]["query"] for c in words["should"]]
    assert queries == ["党建", "or", "title"]


def test_a_filled_list_orders_tiers_as_the_database_does():
    parsed = parse("停车难 共享", [])
    assert "停车" in parsed.loose  # 停车难's part in search mode
    words, bonuses, _filters = words_and_bonuses(
        build_search(SearchRequest(), parsed, fill=True).to_dict()
    )
    # Any clause or any loose token finds a record ...
    assert words["minimum_should_match"] == 1
    loose = words["should"][-1]["multi_match"]
    assert loose["operator"] == "or" and loose["query"].split() == parsed.loose
    # ... ranked every word, then most, then any, then loose; records before organisations
    # within each step.
    boosts = [b["constant_score"]["boost"] for b in bonuses]
    all_words, record, most, any_word = boosts
    assert all_words > most > any_word > record > 10
    # A step outweighs the bonus of a record over an organisation page.
    assert min(all_words - most, most - any_word, any_word) > record
