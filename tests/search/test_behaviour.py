"""One behavioural suite for every search backend (database always; Elasticsearch when
ELASTICSEARCH_URL is set), through the real query API, JSON API and CLI."""

import io
import json

import pytest
from django.core.management import call_command
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page, PageViewRestriction

from plugins.orgs.models import CommunityPage, StreetPage
from search.models import SearchDocument, Synonym
from search.query import SearchRequest
from search.service import run

pytestmark = pytest.mark.django_db


def titles(q, backend, **filters):
    response, _ = run(SearchRequest(q=q, per_page=50, **filters), backend)
    return [hit.document.title for hit in response.results]


def test_words_inside_compounds_are_found(backend, publish_text):
    publish_text("甲支部", "推进区域化党建工作，建立联席制度。")
    publish_text("乙支部", "在职党员双报到，服务群众。")
    publish_text("丙支部", "组织兼职委员述职评议。")
    assert "甲支部" in titles("党建", backend)
    assert "甲支部" in titles("区域化党建", backend)
    assert "乙支部" in titles("报到", backend)
    assert "乙支部" in titles("双报到", backend)
    assert "丙支部" in titles("兼职委员", backend)


def test_distractors_that_share_characters_are_not_found(backend, publish_text):
    publish_text("党校支部", "组织党员到党校学习培训。")
    publish_text("网络支部", "加强网络安全宣传。")
    publish_text("网格支部", "网格员入户走访。")
    assert "党校支部" not in titles("党建", backend)
    assert titles("网格", backend).count("网络支部") == 0
    assert "网格支部" in titles("网格", backend)


def test_mixed_chinese_digits_and_latin(backend, publish_text):
    publish_text("会议支部", "2021年第三季度联席会议通过APP和微信公众号通知。")
    for query in ("2021 联席会议", "app", "ＡＰＰ", "微信公众号", "公众号"):
        assert "会议支部" in titles(query, backend), query


def test_records_with_all_words_come_first(backend, publish_text):
    publish_text("只有党建", "区域化党建。")
    publish_text("党建和报到", "区域化党建与双报到。")
    found = titles("党建 报到", backend)
    # The one record with both words, then (a list shorter than a page is filled) the
    # records with one of them.
    assert found[0] == "党建和报到" and "只有党建" in found[1:]


def test_synonyms_from_the_admin_list(backend, publish_text):
    publish_text("长写法", "组织在职党员到社区报到。")
    publish_text("短写法", "开展双报到活动。")
    # setup_site seeded 双报到 = 在职党员到社区报到
    assert {"长写法", "短写法"} <= set(titles("双报到", backend))
    assert {"长写法", "短写法"} <= set(titles("在职党员到社区报到", backend))
    publish_text("先锋", "红色先锋服务队。")
    # Without the group no record has every word (the list is of partial matches).
    assert run(SearchRequest(q="红色先锋队"), backend)[0].partial
    Synonym.objects.create(terms="红色先锋队 = 红色先锋服务队")
    response, _ = run(SearchRequest(q="红色先锋队"), backend)
    assert not response.partial and response.results[0].document.title == "先锋"


def test_snippets_mark_the_matches_and_escape_html(backend, publish_text):
    publish_text("标记", "前文" * 80 + "区域化党建&lt;b&gt;要点&lt;/b&gt;" + "后文" * 80)
    response, _ = run(SearchRequest(q="党建"), backend)
    hit = next(h for h in response.results if h.document.title == "标记")
    assert "<mark>党建</mark>" in hit.snippet
    assert "<b>" not in hit.snippet and "&lt;b&gt;" in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet) < 400


def test_promoted_results_come_first(backend, publish_text):
    publish_text("普通", "区域化党建工作经验。")
    promoted = CommunityPage.objects.get(slug="heping")
    SearchPromotion.objects.create(query=Query.get("党建"), page=promoted, sort_order=0)
    response, _ = run(SearchRequest(q="党建"), backend)
    assert response.results[0].document.page_id == promoted.pk
    assert response.results[0].promoted


def test_only_live_public_pages_are_returned(backend, publish_text):
    draft = publish_text("草稿", "独特词语甲乙丙。", live=False)
    assert titles("甲乙丙", backend) == []
    live = publish_text("已发布", "独特词语丁戊己。")
    assert titles("丁戊己", backend) == ["已发布"]

    # A new draft revision does not change what is indexed until it is published.
    live.intro = "<p>改写后的庚辛壬。</p>"
    revision = live.save_revision()
    assert titles("庚辛壬", backend) == []
    revision.publish()
    assert titles("庚辛壬", backend) == ["已发布"]
    assert titles("丁戊己", backend) == []

    live.unpublish()
    assert titles("庚辛壬", backend) == []
    live.save_revision().publish()
    assert titles("庚辛壬", backend) == ["已发布"]

    restriction = PageViewRestriction.objects.create(page=live, restriction_type="login")
    assert titles("庚辛壬", backend) == []
    restriction.delete()
    assert titles("庚辛壬", backend) == ["已发布"]

    # Moved under a private parent: gone; deleted: gone for good.
    private_parent = publish_text("私密上级", "无关内容。")
    PageViewRestriction.objects.create(page=private_parent, restriction_type="login")
    Page.objects.get(pk=live.pk).move(private_parent, pos="last-child")
    assert titles("庚辛壬", backend) == []
    Page.objects.get(pk=live.pk).move(CommunityPage.objects.get(slug="xingfuli"), "last-child")
    assert titles("庚辛壬", backend) == ["已发布"]
    Page.objects.get(pk=live.pk).delete()
    assert titles("庚辛壬", backend) == []
    assert draft.pk not in SearchDocument.objects.values_list("page_id", flat=True)


def test_organisation_names_follow_a_renamed_ancestor(backend, publish_text):
    publish_text("改名测试", "独特词语癸子丑。")
    street = StreetPage.objects.get(slug="xinhua")
    street.title = "新华路街道党工委"
    street.save_revision().publish()
    [doc] = SearchDocument.objects.filter(title="改名测试")
    assert doc.street == "新华路街道党工委"


def test_filters_facets_pagination_and_sort(backend, publish_text):
    for n in range(12):
        publish_text(f"驿站{n:02d}", f"第{n}次红色驿站活动。")
    response, _ = run(SearchRequest(q="红色驿站", per_page=5), backend)
    assert response.total == 12 and len(response.results) == 5
    facets = response.facets
    assert {"value": "organisation", "count": 12} in facets["type"]
    assert {"value": "中共江北区委", "count": 12} in facets["district"]
    assert {"value": "幸福里社区大党委", "count": 12} in facets["community"]
    page3, _ = run(SearchRequest(q="红色驿站", per_page=5, page=3), backend)
    assert len(page3.results) == 2
    past_end, _ = run(SearchRequest(q="红色驿站", per_page=5, page=9), backend)
    assert past_end.results == [] and past_end.total == 12

    def stations(**filters):
        return [t for t in titles("红色驿站", backend, **filters) if t.startswith("驿站")]

    assert len(stations(community="幸福里社区大党委")) == 12
    assert stations(community="光明社区大党委") == []
    assert len(stations(unit="jiangbei/xinhua/xingfuli")) == 12
    assert len(stations(unit="中共江北区委/新华街道党工委")) == 12
    assert stations(unit="binhe") == []
    assert stations(type="case") == []
    assert stations(year=1999) == []

    by_date, _ = run(SearchRequest(q="红色驿站", sort="date", per_page=50), backend)
    dates = [hit.document.date for hit in by_date.results]
    assert dates == sorted(dates, reverse=True)


HOSTILE = [
    '"党建', "党建*", "党建 AND", "OR 党建", "NEAR(党建 报到)", "(党建", "title:党建", "'",
    "\\", "党建" * 500, "   ", "！！！", "的了", "-党建", "^党建", "党建 NOT 报到",
]  # fmt: skip


def test_hostile_queries_never_fail(backend, publish_text, client):
    publish_text("党建页", "区域化党建工作。")
    for query in HOSTILE:
        response, _ = run(SearchRequest.from_params({"q": query}), backend)
        assert response.total >= 0, query
        assert client.get("/api/search/", {"q": query}).status_code == 200, query
        assert client.get("/search/", {"q": query}).status_code == 200, query
    # Operators typed by a user are words, not syntax: the page is still found.
    assert "党建页" in titles('"党建', backend)
    assert "党建页" in titles("-党建*", backend)


def test_bad_parameters_get_a_400_with_a_message(client, demo):
    for params, word in [
        ({"q": "党建", "page": "abc"}, "page"),
        ({"q": "党建", "limit": "0"}, "limit"),
        ({"q": "党建", "year": "二〇二一"}, "year"),
        ({"q": "党建", "sort": "random"}, "排序"),
    ]:
        response = client.get("/api/search/", params)
        assert response.status_code == 400
        assert word in response.json()["error"]
        page = client.get("/search/", params)
        assert page.status_code == 400
        assert word in page.content.decode()


def test_api_cli_and_page_give_the_same_answer(
    backend, publish_text, client, django_assert_max_num_queries
):
    publish_text("一致", "区域化党建工作的经验。")
    api = client.get("/api/search/", {"q": "党建", "limit": 5}).json()
    out = io.StringIO()
    call_command("search_archive", "党建", "--limit", "5", "--json", stdout=out)
    assert json.loads(out.getvalue()) == api
    assert set(api) >= {"total", "results", "facets"}
    assert set(api["results"][0]) >= {"source_id", "page_id", "type", "title", "url", "date",
                                      "unit", "snippet", "score"}  # fmt: skip
    with django_assert_max_num_queries(14):
        page = client.get("/search/", {"q": "党建"})
    html = page.content.decode()
    assert "<mark>党建</mark>" in html and f"共找到 <strong>{api['total']}</strong> 条结果" in html


def test_empty_result_page_helps(client, demo):
    html = client.get("/search/", {"q": "不存在的词语组合", "year": "2001"}).content.decode()
    assert "没有找到" in html and "去掉筛选条件" in html


def test_rebuild_gives_the_same_index(demo):
    before = sorted(SearchDocument.objects.values_list("page_id", "title_tokens"))
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert sorted(SearchDocument.objects.values_list("page_id", "title_tokens")) == before
    assert f"{len(before)}/{len(before)}" in out.getvalue()
