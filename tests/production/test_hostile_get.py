"""Hostile query strings on every public URL (issue 15, items 8 and 9): no 500, ever.

The first tests replay the exact requests of the security run that answered 500; the
sweep then feeds a few hundred distinct payloads (full-text-search syntax, huge and
odd numbers, invalid UTF-8 percent-encodings, NUL and control characters, very long
strings, nested brackets, emoji, RTL marks ...) to every query parameter the public
views read. To stay affordable, each request gives every parameter of the URL a
payload at once, rotated so that each parameter receives every payload exactly once.
"""

import time
from urllib.parse import quote

import pytest
from django.test import Client

from gongjian_site.api import MAX_FIELDS_DEPTH
from gongjian_site.params import MAX_ID, parse_id, parse_int
from plugins.activities.models import ActivityIndexPage, ActivityPage
from plugins.cases.models import CaseIndexPage
from plugins.evaluation.models import ScoreWeights
from plugins.orgs.models import CommunityPage, ResidentUnitPage

HUGE = "9223372036854775808"  # 2**63: one past what SQLite can bind
NESTED = "a(" * 2000 + "id" + ")" * 2000


# --- the parser -------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("42", 42),
        ("-3", -3),
        ("²", None),  # isdigit() says yes, int() says no
        ("٥", None),  # int() says 5: not an id anyone typed
        ("１２", None),  # full-width digits
        (" 5 ", None),
        ("1_000", None),
        ("+5", None),
        ("", None),
        (None, None),
        (HUGE, 2**63),  # parse_int has no bound of its own; parse_id has
        ("9" * 5000, None),  # no int() of thousands of digits
        ("5\x00", None),
    ],
)
def test_parse_int_takes_plain_ascii_integers_only(raw, expected):
    assert parse_int(raw) == expected


def test_parse_id_is_positive_and_bounded():
    assert parse_id("1") == 1
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(str(MAX_ID + 1)) is None
    assert parse_id("0") is None
    assert parse_id("-1", default=0) == 0


# --- the requests that answered 500 ---------------------------------------------------


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.fixture
def urls(demo):
    community = CommunityPage.objects.get(slug="xingfuli")
    return {
        "activities": ActivityIndexPage.objects.live().first().url,
        "cases": CaseIndexPage.objects.live().order_by("path").first().url,
        "community": community.url,
        "community_id": community.pk,
    }


def test_activity_unit_filter_past_64_bits_is_ignored_with_a_message(anonymous, urls):
    response = anonymous.get(f"{urls['activities']}?unit={HUGE}&year=abc")
    assert response.status_code == 200
    text = response.content.decode()
    assert "参与单位" in text and "已忽略" in text
    # The rest of the list is still there: nothing valid is lost.
    assert ActivityPage.objects.live().first().title in text


def test_a_valid_unit_filter_still_filters(anonymous, urls):
    unit = ResidentUnitPage.objects.live().order_by("path").first()
    response = anonymous.get(f"{urls['activities']}?unit={unit.pk}")
    assert response.status_code == 200
    assert "已忽略" not in response.content.decode()


def test_case_organisation_filter_past_64_bits_is_ignored(anonymous, urls):
    response = anonymous.get(f"{urls['cases']}?organisation={HUGE}")
    assert response.status_code == 200
    assert "已忽略" in response.content.decode()


@pytest.mark.parametrize("value", [HUGE, "%C2%B2", "-1", "0"])
def test_activity_feed_of_an_impossible_id_is_not_found(anonymous, demo, value):
    response = anonymous.get(f"/feeds/activities/{value}/")
    assert response.status_code == 404


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_api_offset_past_64_bits_is_a_400_in_chinese(anonymous, demo, endpoint):
    response = anonymous.get(f"/api/v2/{endpoint}/?offset={HUGE}")
    assert response.status_code == 400
    assert "offset" in response.json()["message"] and "整数" in response.json()["message"]


def test_api_offset_and_limit_in_range_still_page(anonymous, demo):
    everything = anonymous.get("/api/v2/pages/?limit=100").json()
    response = anonymous.get("/api/v2/pages/?offset=2&limit=3")
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["items"]]
    assert ids == [item["id"] for item in everything["items"]][2:5]


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_api_deeply_nested_fields_are_refused_at_once(anonymous, demo, endpoint):
    started = time.perf_counter()
    response = anonymous.get(f"/api/v2/{endpoint}/?fields={NESTED}")
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert "嵌套过深" in response.json()["message"]
    assert elapsed < 0.5


def test_api_fields_nested_within_the_limit_still_work(anonymous, demo):
    # Two levels of nesting, the real shape of "a page and its image's rendition".
    fields = "title,owner(id)"
    assert fields.count("(") <= MAX_FIELDS_DEPTH
    response = anonymous.get("/api/v2/pages/?fields=" + fields)
    assert response.status_code in (200, 400)
    # A 400 here would be Wagtail's own field check ("unknown field"), not ours.
    if response.status_code == 400:
        assert "嵌套" not in response.json()["message"]
    response = anonymous.get("/api/v2/pages/?fields=title")
    assert response.status_code == 200


# --- the sweep ----------------------------------------------------------------------


def _payloads():
    """At least 200 distinct hostile values, as raw (already percent-encoded) strings."""
    texts = [
        # full-text-search syntax (FTS5, PostgreSQL tsquery, Elasticsearch query string)
        "AND", "OR", "NOT", "NEAR(党建 共建)", '"', '""', '"党建', "*", "党建*", "^党建",
        "title:党建", "-党建", "+党建", "党建 OR", "(党建", "党建)", "{党建}", "[党建]",
        "a & b", "a | b", "!a", "a <-> b", "a:*", "~", "党建~2", "/regex/", "\\", "a\\",
        "'", "''", "%", "_", "%_%", "a AND (b OR", "NEAR", "MATCH", ";", "--", "/*", "*/",
        # numbers
        HUGE, "-" + HUGE, "9" * 40, "1e308", "1e999", "-1", "0", "00", "-0", "+5", "3.14",
        "0x10", "NaN", "inf", "-inf", "²", "٥", "１２３", "1_000", " 5 ", "5 ", "5.",
        "2147483648", "4294967296", "-2147483649", "18446744073709551616", "1" * 19,
        "99999", "2100", "1899", "2024-01", "2024/01/01", "二〇二四",
        # SQL and templates
        "' OR 1=1 --", '" OR ""="', "1; DROP TABLE wagtailcore_page", "1) OR (1=1",
        "%s", "%(x)s", "{0}", "{}", "${7*7}", "{{7*7}}", "{% debug %}", "<%= 7*7 %>",
        # markup
        "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
        "<svg/onload=alert(1)>", "&lt;", "&#0;", "]]>", "<!--", "-->",
        # paths and URLs
        "../../etc/passwd", "..\\..\\windows", "/", "//evil.example", "http://evil.example/",
        "file:///etc/passwd", "?", "#", "&", "=", "a=b&c=d",
        # control characters and Unicode oddities
        "\x00", "a\x00b", "\x01", "\x1b[31m红\x1b[0m", "\x7f", "\r\n", "\n", "\t", "\x0b",
        "\x0c", "\u2028", "\u2029", "\ufeff", "\u200b", "\u200d", "\u202e", "\u200f",
        "\u202egnp.exe", "\u2066x\u2069", "\ufffd", "\uffff", "\U0010ffff", "é", "e\u0301",
        "\u0130", "ß", "ﬀ", "Ⅻ", "㊀", "𠀀", "\u3000", "\u00a0",
        # emoji
        "😀", "👨‍👩‍👧", "🇨🇳", "😀" * 100, "🏳️‍🌈", "⚠️", "👍🏽",
        # nested brackets
        "(" * 2000, ")" * 2000, "[" * 500, "{" * 500, "a(" * 1000, "((a))", "[[", "]]",
        "(()", "<" * 500,
        # long strings
        "a" * 10_000, "党" * 5000, "9" * 1000, " " * 1000, "党建 " * 500, "%" * 2000,
        # empty and blank
        "", " ", "  ", "null", "None", "undefined", "true", "false", "[]", "{}",
    ]  # fmt: skip
    raw = [quote(text, safe="") for text in texts]
    # Invalid UTF-8 and other broken percent-encodings, sent as they are.
    raw += [
        "%C3%28", "%FF", "%FE%FF", "%C0%AF", "%E0%80%AF", "%ED%A0%80", "%ED%BF%BF",
        "%F8%88%80%80%80", "%80", "%BF", "%C2", "%E4%B8", "%", "%%", "%G0", "%0",
        "%u4E2D", "%2", "a%00b", "%25%30%30", "%C3%A9%C3", "%E5%85%9A%FF",
    ]  # fmt: skip
    # Two-in-one: FTS and numbers behind Chinese text, to reach the query parsers.
    raw += [quote("党建 " + text, safe="") for text in texts[:60]]
    return list(dict.fromkeys(raw))


PAYLOADS = _payloads()


def test_there_are_at_least_200_distinct_payloads():
    assert len(PAYLOADS) >= 200


# Every query parameter each public view reads (keep in step with the views).
PUBLIC_GETS = {
    "search": ("/search/", ["q", "type", "year", "district", "street", "community", "unit",
                            "tag", "page", "limit", "per_page", "sort"]),
    "search_api": ("/api/search/", ["q", "type", "year", "district", "street", "community",
                                    "unit", "tag", "page", "limit", "per_page", "sort"]),
    "api_pages": ("/api/v2/pages/", ["offset", "limit", "fields", "order", "search",
                                     "search_operator", "type", "child_of", "descendant_of",
                                     "ancestor_of", "translation_of", "locale", "title",
                                     "slug", "id", "show_in_menus", "site"]),
    "api_pages_find": ("/api/v2/pages/find/", ["id", "html_path", "fields"]),
    "api_images": ("/api/v2/images/", ["offset", "limit", "fields", "order", "search",
                                       "search_operator", "title", "id", "collection_id"]),
    "api_documents": ("/api/v2/documents/", ["offset", "limit", "fields", "order",
                                             "search", "title", "id", "collection_id"]),
    "activities": ("{activities}", ["year", "month", "kind", "unit", "page"]),
    "cases": ("{cases}", ["year", "organisation", "tag", "recommended", "page"]),
    "community": ("{community}", ["activities_page"]),
    "board": ("/gongshi/xingfuli/", ["year", "status", "category"]),
    "need_form": ("/gongshi/xingfuli/submit/", ["sent"]),
    "statistics": ("/evaluation/statistics/", ["year"]),
    "feed": ("/feeds/activities/{community_id}/", ["page"]),
    "ical": ("/feeds/meetings/{community_id}/ical/", ["year"]),
    "registrations": ("/baodao/xingfuli/", ["table"]),
    "sitemap": ("/sitemap.xml", ["p", "page"]),
    "home": ("/", ["activities_page", "q"]),
}  # fmt: skip


def _url(template, urls):
    return template.format(**urls)


@pytest.mark.parametrize("name", sorted(PUBLIC_GETS))
def test_no_public_query_parameter_answers_500(anonymous, urls, name):
    template, params = PUBLIC_GETS[name]
    path = _url(template, urls)
    # The URL itself works (find/ answers 404 until it is told what to find).
    assert anonymous.get(path).status_code in (200, 302, 404 if "find" in name else 200), path
    failures = []
    # Every parameter gets every payload once; unknown names and repeats ride along.
    extras = ["utm_source", "format", "x[]"]
    names = params + extras
    for i in range(len(PAYLOADS)):
        query = "&".join(
            f"{quote(param, safe='[]')}={PAYLOADS[(i + j) % len(PAYLOADS)]}"
            for j, param in enumerate(names)
        )
        response = anonymous.get(f"{path}?{query}")
        if response.status_code >= 500:
            failures.append((response.status_code, query[:200]))
    assert failures == [], f"{len(failures)} requests answered 5xx on {path}: {failures[:5]}"


@pytest.mark.parametrize("value", ["%C2%B2", HUGE, "0", "-1", "abc"])
def test_ranking_and_vote_paths_with_odd_ids(anonymous, demo, value):
    assert anonymous.get(f"/evaluation/ranking/{value}/").status_code == 404
    assert anonymous.get(f"/evaluation/vote/{value}/").status_code in (200, 404)


def test_a_published_ranking_ignores_odd_formats(anonymous, demo):
    weights = ScoreWeights.objects.filter(ranking_published=True).first()
    if weights is None:
        pytest.skip("the demo publishes no ranking")
    for value in ["xlsx%00", "%FF", "XLSX", "a" * 5000]:
        response = anonymous.get(f"/evaluation/ranking/{weights.pk}/?format={value}")
        assert response.status_code == 200


def test_page_urls_with_hostile_suffixes(anonymous, urls):
    for suffix in ["%FF/", "%00/", "%C3%28/", quote("\u202e", safe="") + "/", "a" * 3000 + "/"]:
        response = anonymous.get(urls["community"] + suffix)
        assert response.status_code in (301, 302, 400, 404), suffix
