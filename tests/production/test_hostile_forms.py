"""Issue 15, "Done when": hostile input into every field of every public form.

Over 200 distinct payloads (full-text-search syntax, huge numbers, invalid UTF-8
percent-encodings, NUL and other control characters, ANSI escapes, very long strings,
nested brackets, emoji, RTL marks, HTML/JS, formulas) go into each field of the public
forms: the three registration forms, the residents' needs form and the rating ballot.
No answer may be a 500; afterwards everything the forms stored is approved and shown,
and every public page, admin list and export that shows it must answer 200, with no
control character stored and no formula or script left live.

Batched, not one test per payload: pass A puts a payload in every field at once
(rotated, so each payload meets each field), pass B keeps the structured fields valid
(credit code, kind, phone...) and fills the free-text ones with payloads, each payload
twice, so that what a form accepts is really stored and then read back. Each post comes from its
own address, so the per-address limits do not cut the sweep short.
"""

import io
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gongjian_site.textinput import CONTROL_CHARACTERS_RE
from plugins.registrations.validators import credit_code_check_char
from tests.conftest import login

pytestmark = pytest.mark.django_db

# --- payloads ---------------------------------------------------------------------

TEXT_PAYLOADS = [
    # full-text-search syntax (SQLite FTS5, PostgreSQL tsquery, Elasticsearch)
    '"党建',
    '党建"',
    '"区域化 党建"',
    "党建 AND",
    "OR 党建",
    "NOT",
    "党建 NOT 社区",
    "NEAR(党建 社区)",
    "NEAR(a b, 2)",
    "党*",
    "*",
    "**",
    "^党建",
    "title:党建",
    "{title body}: 党建",
    "党建 -社区",
    "党建 | 社区",
    "党建 & !社区",
    "'党建':*",
    "!!!",
    "a:*B",
    "(党建",
    "党建)",
    "((党建) OR (社区",
    "党建~2",
    "党建^10",
    "[* TO *]",
    "/.*/",
    "\\",
    "\\\\",
    "''",
    '""',
    ";",
    "--",
    "/* */",
    # huge and odd numbers
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "9" * 30,
    "9" * 5000,
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "Infinity",
    "-0",
    "0x7fffffff",
    "0b1010",
    "1_000",
    "1,000",
    "²",
    "³³",
    "١٢٣",
    "１２３",
    "٣",
    "Ⅻ",
    "〇",
    "1.5",
    "-1",
    "2147483648",
    "4294967296",
    "00000000000000000001",
    "+1",
    "12" * 100,
    # NUL, control characters, ANSI escapes
    "\x00",
    "a\x00b",
    "\x00" * 50,
    *[f"控制{chr(c)}字符" for c in range(1, 32) if c not in (9, 10, 13)],
    "\x7f",
    "\x1b[31m红色\x1b[0m",
    "\x1b]0;title\x07",
    "\x1b[2J\x1b[H",
    "\x9b31m",
    "\x85",
    "tab\tinside",
    "\ttab first",
    "line\nbreak",
    "\r\ncrlf",
    "\r=1+1",
    # very long strings
    "党" * 121,
    "党" * 2001,
    "a" * 20000,
    "𝕏" * 3000,
    "e\u0301" * 1500,
    "党建 " * 5000,
    # nested brackets
    "(" * 2000,
    ")" * 2000,
    "[" * 1000 + "]" * 1000,
    "{" * 1000 + "}" * 1000,
    "<" * 500 + ">" * 500,
    "((((((((((党建))))))))))",
    "{{{{}}}}",
    "[[[[[]]]]]",
    # emoji and other astral or joined characters
    "😀",
    "党建😀",
    "👨\u200d👩\u200d👧\u200d👦",
    "🇨🇳",
    "👍🏽",
    "🏳️\u200d🌈",
    "\U0001f9d1\u200d\U0001f4bb",
    "𠀀𠀁𪚥",
    "\ufeff开头的BOM",
    "\u200b零宽\u200b",
    "\u2028行分隔\u2029段分隔",
    "\u3000全角空格\u3000",
    # RTL and bidi controls
    "\u202e反转文本",
    "\u202ecod.exe",
    "\u200f右至左标记",
    "\u200e左至右标记",
    "\u2066隔离\u2069",
    "\u202a嵌入\u202c",
    "\u061cعربي",
    "مرحبا 党建",
    "עברית",
    "\u202d强制\u202c",
    # noncharacters and replacement
    "\ufffe",
    "\uffff",
    "\ufffd",
    "\U0010ffff",
    # HTML / JS / templates / SQL
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "<!--",
    "]]>",
    "{{ 7|add:7 }}",
    "{% debug %}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "' OR '1'='1",
    "'; DROP TABLE registrations_unitsurvey; --",
    "1; SELECT pg_sleep(5)",
    "%s%s%s%n",
    "%(name)s",
    "{0}",
    "../../etc/passwd",
    "file:///etc/passwd",
    "http://127.0.0.1/",
    "&amp;&lt;&gt;",
    "&#0;",
    "&#x202e;",
    "%00",
    "%25",
    "+",
    "&",
    "=",
    # formulas (OWASP CSV injection)
    "=1+1",
    '=HYPERLINK("http://evil.example/","点击核对")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "=cmd|' /C notepad'!'A1'",
    "＝1+1",
    # empties and look-alikes of valid values
    "",
    " ",
    "   ",
    "null",
    "None",
    "undefined",
    "true",
    "[]",
    "{}",
    "0",
    "91360100MA7QXY8120",
    "91360100ma7qxy812x",
    "13800000000",
    "+86 138 0000 0000",
    "state_firm",
    "branch",
    "supervision",
    "EXCELLENT",
    "STATE_FIRM",
]

#: Percent-encodings that are not valid UTF-8 (or not valid at all): sent as they are.
RAW_PAYLOADS = [
    "%FF",
    "%FE%FF",
    "%C0%AF",
    "%C0%80",
    "%ED%A0%80",
    "%ED%BF%BF",
    "%F4%90%80%80",
    "%E4%B8",
    "%E5",
    "%80%80%80",
    "%F8%88%80%80%80",
    "%FC%84%80%80%80%80",
    "%",
    "%G1",
    "%%",
    "%E4%B8%AD%FF%E6%96%87",
    "a%00b",
    "%1B%5B31m",
    "%E2%80%AE",
]

PAYLOADS = [quote(p, safe="") for p in dict.fromkeys(TEXT_PAYLOADS)] + RAW_PAYLOADS
#: Whole bodies that are odd in themselves.
RAW_BODIES = [
    "",
    "&&&",
    "=&=&=",
    "%FF=1",
    "unit_name",
    "unit_name=%E4%B8&unit_name=x",
    "a" * 5000 + "=1",
    "website=&website=x",
    "%00=%00",
]

# --- the forms ---------------------------------------------------------------------

XSS = ("<script>alert(1)</script>", "<img src=x onerror", "<svg onload")


def credit_code(n):
    first17 = f"9136010{n:010d}"
    return first17 + credit_code_check_char(first17)


def survey_valid(n):
    return {"unit_name": "某单位", "credit_code": credit_code(n), "kind": "state_firm",
            "address": "幸福里路 1 号", "party_organisation": "某支部", "secretary_name": "张三",
            "party_member_count": "5", "contact_name": "李四", "contact_phone": "13800000000",
            "resources": ""}  # fmt: skip


def checkin_valid(n):
    return {"unit_name": "某单位", "credit_code": credit_code(n), "party_organisation": "某支部",
            "org_type": "branch", "secretary_name": "张三", "party_member_count": "5",
            "liaison_name": "李四", "liaison_phone": "13800000000", "intentions": ""}  # fmt: skip


def member_valid(n):
    return {"name": "王五", "party_organisation": "某支部", "workplace": "某局",
            "service_post": "supervision", "mobile": "13800000000",
            "home_address": "幸福里小区 1 栋"}  # fmt: skip


def need_valid(n):
    return {"title": "楼道照明", "category": Category_first(),
            "description": "三号楼楼道灯坏了很久", "raised_by": "3号楼居民",
            "contact_phone": ""}  # fmt: skip


def Category_first():  # noqa: N802 - reads like the constant it stands for
    from plugins.cobuilding.models import Category

    return Category.values[0]


def vote_valid(n):
    return {"grade": "excellent", "comment": ""}


FORMS = {
    # key: (valid values for post n, free-text fields, honeypot field)
    "survey": (survey_valid, ["unit_name", "address", "party_organisation", "secretary_name",
                              "contact_name", "resources"]),
    "checkin": (checkin_valid, ["unit_name", "party_organisation", "secretary_name",
                                "liaison_name", "intentions"]),
    "member": (member_valid, ["name", "party_organisation", "workplace", "home_address"]),
    "need": (need_valid, ["title", "description", "raised_by"]),
    "vote": (vote_valid, ["comment"]),
}  # fmt: skip


def encode(values):
    """Valid values, percent-encoded as a browser would."""
    return {name: quote(str(value), safe="") for name, value in values.items()}


def body(fields):
    return "&".join(f"{quote(name, safe='')}={value}" for name, value in fields.items())


class Sweep:
    def __init__(self, client):
        self.client = client
        self.posts = 0
        self.statuses = {}

    def post(self, url, raw_body):
        self.posts += 1
        address = f"10.{self.posts // 65536 % 256}.{self.posts // 256 % 256}.{self.posts % 256}"
        response = self.client.generic(
            "POST", url, raw_body, REMOTE_ADDR=address,
            content_type="application/x-www-form-urlencoded",
        )  # fmt: skip
        assert response.status_code < 500, (url, raw_body[:300], response.status_code)
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        if response.status_code == 200 or response.status_code == 400:
            html = response.content.decode()
            for needle in XSS:
                assert needle not in html, (url, raw_body[:300])
        return response


@pytest.fixture
def vote_urls(demo):
    """An open rating round with one unused link per pass-B post, and one more."""
    from plugins.evaluation.models import AnnualReport, RatingRater, RatingRound

    report = AnnualReport.objects.filter(rating_round__isnull=True).first()
    if report is None:
        report = AnnualReport.objects.first()
        RatingRound.objects.filter(report=report).delete()
    rating_round = RatingRound.objects.create(
        report=report, closes_at=timezone.now() + timedelta(days=7)
    )
    raters = RatingRater.objects.bulk_create(
        RatingRater(round=rating_round, name=f"参评人{n}", kind="resident", sort_order=n)
        for n in range(len(PAYLOADS) + 1)
    )
    return [rater.vote_path() for rater in raters]


def test_public_forms_survive_200_hostile_payloads(client, demo, vote_urls, settings):
    from plugins.cobuilding.models import Need, NeedStatus
    from plugins.evaluation.models import RatingVote
    from plugins.orgs.models import CommunityPage
    from plugins.registrations.models import (
        MemberCheckIn,
        Status,
        UnitCheckIn,
        UnitCheckInChange,
        UnitSurvey,
        UnitSurveyChange,
    )

    assert len(PAYLOADS) >= 200, len(PAYLOADS)
    urls = {
        "survey": "/baodao/xingfuli/survey/",
        "checkin": "/baodao/xingfuli/checkin/",
        "member": "/baodao/xingfuli/member/",
        "need": "/gongshi/xingfuli/submit/",
    }
    sweep = Sweep(client)
    started = time.monotonic()
    n_payloads = len(PAYLOADS)
    for key, (valid, free_text) in FORMS.items():
        fields = list(valid(0))
        # Pass A: every field hostile, each payload into each field once (the vote's
        # spare link is never used up: a hostile grade is never a valid one).
        url = vote_urls[-1] if key == "vote" else urls[key]
        for i in range(n_payloads):
            hostile = {name: PAYLOADS[(i + 17 * j) % n_payloads] for j, name in enumerate(fields)}
            sweep.post(url, body(hostile))
        # Pass B: structured fields valid, the free-text ones carry the payloads, each
        # payload twice (with different neighbours), so what a form accepts is stored.
        width = len(free_text)
        for k in range(min(-(-2 * n_payloads // width), 80)):
            values = encode(valid(k + 1))
            for j, name in enumerate(free_text):
                values[name] = PAYLOADS[(k * width + j + (k * width // n_payloads)) % n_payloads]
            sweep.post(vote_urls[k] if key == "vote" else urls[key], body(values))
        for raw in RAW_BODIES:
            sweep.post(url, raw)
    elapsed = time.monotonic() - started
    print(f"\nhostile sweep: {sweep.posts} posts in {elapsed:.1f}s, statuses {sweep.statuses}")
    assert sweep.posts >= 5 * 200

    # Some of it was accepted and stored: the rest of the test reads it back.
    community = CommunityPage.objects.get(slug="xingfuli")
    stored = {
        UnitSurvey: UnitSurvey.objects.filter(community=community).count(),
        UnitCheckIn: UnitCheckIn.objects.filter(community=community).count(),
        MemberCheckIn: MemberCheckIn.objects.filter(community=community).count(),
        Need: Need.objects.filter(community=community, status=NeedStatus.PENDING).count(),
        RatingVote: RatingVote.objects.count(),
    }
    assert all(count >= 10 for count in stored.values()), stored
    # Nothing stored holds a control character (all of them were refused or stripped).
    for model in (*stored, UnitSurveyChange, UnitCheckInChange):
        for row in model.objects.values():
            for name, value in row.items():
                text = str(value)
                assert not CONTROL_CHARACTERS_RE.search(text), (model.__name__, name, text[:80])

    # Approve and publish everything, then read it wherever it is shown.
    for model in (UnitSurvey, UnitCheckIn, MemberCheckIn):
        model.objects.update(status=Status.APPROVED)
    Need.objects.filter(status=NeedStatus.PENDING).update(status=NeedStatus.OPEN)
    public = ["/", community.url, "/baodao/xingfuli/", "/gongshi/xingfuli/",
              "/gongshi/xingfuli/?status=open", "/baodao/xingfuli/survey/"]  # fmt: skip
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for needle in XSS:
            assert needle not in html, url

    login(client, "secretary_a")
    admin_pages = ["/admin/registrations/unitsurvey/", "/admin/registrations/unitcheckin/",
                   "/admin/registrations/membercheckin/", "/admin/registrations/changes/",
                   "/admin/cobuilding/need/",
                   "/admin/registrations/unitsurvey/?q=%22%E5%85%9A"]  # fmt: skip
    for change in UnitSurveyChange.objects.all()[:20]:
        admin_pages.append(f"/admin/registrations/changes/survey/{change.pk}/")
    for record in UnitSurvey.objects.order_by("-pk")[:20]:
        admin_pages.append(f"/admin/registrations/unitsurvey/edit/{record.pk}/")
    for url in admin_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for needle in XSS:
            assert needle not in html, url
    for key in ("survey", "checkin", "member"):
        response = client.get(f"/admin/registrations/export/{key}/")
        assert response.status_code == 200, key
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert len(cells) > 100
        for cell in cells:
            assert cell.data_type != "f", (key, cell.value)
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
