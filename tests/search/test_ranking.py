"""Ranking (issue 16): weighted fields with tags and kinds searched, all words before most
of them and never an empty page when part of the query matches, records before
organisation pages unless the query names one, a case and its compilation copy shown
once, and did-you-mean from the index's own words. Through the real query API on the
database in use (SQLite FTS5 or PostgreSQL)."""

import pytest

from search.documents import collapse_key
from search.harness import feed
from search.query import SearchRequest
from search.service import run
from search.suggest import forget_vocabulary

pytestmark = pytest.mark.django_db


def ranked(q, **params):
    response, _parsed = run(SearchRequest(q=q, per_page=50, **params))
    return response, [hit.document for hit in response.results]


def ids(q, **params):
    return [d.source_id for d in ranked(q, **params)[1]]


def record(sid, title, body="", kind="activity", **extra):
    return {"id": sid, "type": kind, "title": title, "body": body,
            "date": "2023-05-01", "unit": "江北区/新华街道/幸福里社区", **extra}  # fmt: skip


def test_tags_and_activity_kinds_are_searched(demo):
    # The demo activity of kind 志愿服务 with the tag 双报到, neither word in its text.
    for query in ("志愿服务", "双报到"):
        titles = [d.title for d in ranked(query)[1]]
        assert "第一人民医院进社区义诊" in titles, query


def test_title_outweighs_tags_which_outweigh_the_body(db):
    feed([
        record("body", "社区活动纪要", "本次活动开展了垃圾分类宣传。"),
        record("tag", "社区活动纪要", "本次活动内容丰富。", tags=["垃圾分类"]),
        record("title", "垃圾分类宣传周", "本次活动内容丰富。"),
    ])  # fmt: skip
    assert ids("垃圾分类") == ["title", "tag", "body"]


def test_all_words_first_then_most_of_them(db):
    feed([
        record("all", "社区义诊服务老人", "医院党员为社区老人义诊。"),
        record("two", "社区义诊", "医院党员到社区开展义诊。"),
        record("one", "社区环境整治", "清理楼道杂物。"),
        record("other", "防汛演练", "街道组织防汛演练。"),
    ])  # fmt: skip
    response, documents = ranked("社区 义诊 老人")
    # All three words, then two of them; a list this short is then filled with the
    # records sharing one word (every record here has 社区 in its organisations).
    assert [d.source_id for d in documents][:2] == ["all", "two"]
    assert response.total == 4 and not response.partial
    # A question: its question words are not words to match.
    assert ids("社区如何为老人义诊")[:2] == ["all", "two"]


def test_never_an_empty_page_when_part_of_the_query_matches(db):
    feed([record("flood", "防汛演练", "街道组织防汛演练。"), record("x", "垃圾分类", "")])
    response, documents = ranked("防汛 加装电梯")
    assert [d.source_id for d in documents] == ["flood"]
    assert response.partial and response.total == 1
    assert ranked("加装电梯 停车难")[0].total == 0  # nothing matches any word


def test_organisation_pages_come_after_records_unless_named(demo):
    feed([
        record("r1", "智能制造企业党建交流会", "园区企业交流党建经验。"),
        record("r2", "社区党建联席会议", "区域化党建工作。"),
    ])  # fmt: skip
    _response, documents = ranked("党建")
    kinds = [d.doc_type for d in documents]
    assert "organisation" in kinds  # demo organisations are named ...党建...
    first_organisation = kinds.index("organisation")
    assert all(kind == "organisation" for kind in kinds[first_organisation:])
    assert {"r1", "r2"} <= {d.source_id for d in documents[:first_organisation]}
    # A query naming an organisation ranks organisations with the records, by score (in
    # this small city the words of every place name are in most documents, so bm25 can
    # tell its organisations apart only roughly).
    _response, documents = ranked("幸福里社区大党委")
    assert documents[0].doc_type == "organisation"
    assert "幸福里社区大党委" in [d.title for d in documents[:5]]


def test_a_case_and_its_compilation_copy_are_one_result(db):
    feed([
        record("case", "双报到让党员回到家门口", "光明社区推行双报到制度。", kind="case"),
        record("copy", "双报到让党员回到家门口！", "光明社区推行双报到制度。",
               kind="compilation_article"),
        record("preface-1", "前言", "本汇编收录双报到经验。", kind="compilation_article"),
        record("preface-2", "前言", "本汇编收录双报到做法。", kind="compilation_article"),
    ])  # fmt: skip
    response, documents = ranked("双报到")
    found = [d.source_id for d in documents]
    assert len({"case", "copy"} & set(found)) == 1
    # Articles sharing a title with no case behind it are different articles.
    assert {"preface-1", "preface-2"} <= set(found)
    assert response.total == 3
    # Asking for compilation articles only, the copy stands for itself.
    assert "copy" in ids("双报到", type="compilation_article")


def test_collapse_key_follows_the_linked_case():
    assert collapse_key("case", "“幸福里经验”") == collapse_key("compilation_article", "幸福里经验")
    assert collapse_key("compilation_article", "改过的标题", original_title="幸福里经验") == (
        collapse_key("case", "幸福里经验")
    )
    assert collapse_key("activity", "幸福里经验") == ""


def test_did_you_mean_from_the_index_vocabulary(db, client):
    feed([
        record("v1", "志愿服务进社区", "党员志愿服务队开展活动。", tags=["志愿服务"]),
        record("v2", "周末志愿服务", "青年党员开展活动。"),
    ])  # fmt: skip
    forget_vocabulary()
    response, _documents = ranked("志原服务")
    assert response.suggestion == "志愿服务"
    assert ranked("志愿服务")[0].suggestion == ""  # a known word is not corrected
    html = client.get("/search/", {"q": "志原服务"}).content.decode()
    assert "您是不是要找：" in html and "?q=%E5%BF%97%E6%84%BF%E6%9C%8D%E5%8A%A1" in html
    assert client.get("/api/search/", {"q": "志原服务"}).json()["suggestion"] == "志愿服务"
    forget_vocabulary()
