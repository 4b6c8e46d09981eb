"""述职 and 测评 end to end: a member's report, a round with invited raters, one vote per
personal link, the result, the feedback letter, 不称职 flagged for removal."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from gongjian_site import clock
from plugins.evaluation.admin import AnnualReportAdmin, RatingRoundAdmin
from plugins.evaluation.grading import Grade, grade_for
from plugins.evaluation.models import AnnualReport, RatingRater, RatingRound, RatingVote
from plugins.evaluation.tokens import make_token
from tests.conftest import login

G = Grade


@pytest.mark.parametrize(
    ("counts", "invited", "expected"),
    [
        ({G.EXCELLENT: 2, G.COMPETENT: 1}, 3, G.EXCELLENT),  # exactly two thirds
        ({G.EXCELLENT: 3, G.COMPETENT: 2}, 5, G.COMPETENT),  # 3/5 < 2/3
        ({G.EXCELLENT: 1, G.COMPETENT: 1, G.BASIC: 2}, 4, G.BASIC),  # 2/4 is not more than half
        ({G.COMPETENT: 2, G.INCOMPETENT: 1}, 3, G.COMPETENT),  # 1/3 is not more than a third
        ({G.COMPETENT: 3, G.INCOMPETENT: 2}, 5, G.INCOMPETENT),  # 2/5 > 1/3
        ({G.EXCELLENT: 2}, 4, None),  # half of the invited is not more than half
        ({}, 3, None),
    ],
)
def test_grade_rule(counts, invited, expected):
    assert grade_for(counts, invited) == expected


def _inline(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
        data[f"{prefix}-{i}-ORDER"] = str(i + 1)
        data[f"{prefix}-{i}-id"] = ""
        data[f"{prefix}-{i}-DELETE"] = ""
    return data


BLOCK = {"key": "a", "type": "unstyled", "depth": 0, "text": "全年履职情况",
         "inlineStyleRanges": [], "entityRanges": []}  # fmt: skip


def _report_data(user, committee, year):
    return {
        "user": user.pk,
        "committee": committee.pk,
        "year": str(year),
        "title": "",
        "body": json.dumps({"blocks": [BLOCK], "entityMap": {}}),
        **_inline("attachments", []),
    }


def test_member_writes_report_only_for_a_year_with_an_appointment(client, pages, users):
    member = login(client, "member_a")
    create_url = AnnualReportAdmin().url_helper.create_url
    year = clock.today().year
    before = AnnualReport.objects.count()

    response = client.post(create_url, _report_data(member, pages["A"], 2015))
    assert response.status_code == 200
    assert "2015 年没有在幸福里社区大党委的任职记录" in response.content.decode()
    assert AnnualReport.objects.count() == before

    # Someone else's name is not on offer to a member.
    response = client.post(create_url, _report_data(users["member_b"], pages["A"], year))
    assert AnnualReport.objects.count() == before

    response = client.post(create_url, _report_data(member, pages["A"], year))
    assert response.status_code == 302, response.content.decode()[:3000]
    report = AnnualReport.objects.get(user=member, year=year)
    assert report.appointment.source_unit == pages["UA"]
    # member_b sees neither the report nor its edit page.
    login(client, "member_b")
    assert client.get(
        AnnualReportAdmin().url_helper.get_action_url("edit", report.pk)
    ).status_code in (302, 403)


def _round_for(report, raters, closes_in=timedelta(days=7)):
    rating_round = RatingRound.objects.create(report=report, closes_at=timezone.now() + closes_in)
    for name in raters:
        RatingRater.objects.create(round=rating_round, name=name, kind="resident")
    return rating_round


def test_full_rating_round(client, pages, users):
    year = clock.today().year
    report = AnnualReport.objects.create(
        user=users["member_a"], committee=pages["A"], year=year, body="<p>述职</p>"
    )
    # The community secretary invites three raters through the admin.
    login(client, "secretary_a")
    response = client.post(
        RatingRoundAdmin().url_helper.create_url,
        {
            "report": report.pk,
            "closes_at": (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%d %H:%M"),
            **_inline(
                "raters",
                [
                    {"name": "李明", "kind": "committee"},
                    {"name": "张伟", "kind": "party_member"},
                    {"name": "刘洋", "kind": "resident"},
                ],
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rating_round = RatingRound.objects.get(report=report)
    raters = list(rating_round.raters.order_by("sort_order", "pk"))
    assert len(raters) == 3

    page = client.get(f"/admin/evaluation/ratinground/results/{rating_round.pk}/")
    assert page.status_code == 200
    links = re.findall(r"http://testserver(/evaluation/vote/[^\"]+/)", page.content.decode())
    assert len(links) == 3 and links[0] == raters[0].vote_path()

    # Raters need no account.
    client.logout()
    ballot = client.get(links[0])
    assert ballot.status_code == 200 and "述职" in ballot.content.decode()
    assert client.post(links[0], {"grade": "excellent", "comment": "很好"}).status_code == 200
    second = client.post(links[0], {"grade": "incompetent"})
    assert second.status_code == 409 and "只能投票一次" in second.content.decode()
    assert client.post(links[1], {"grade": "nonsense"}).status_code == 400
    assert client.post(links[1], {"grade": "excellent"}).status_code == 200
    forged = links[2].replace(links[2][-8:-1], "AAAAAAA")
    assert client.post(forged, {"grade": "incompetent"}).status_code == 404
    other_round_token = make_token(RatingRater(pk=raters[2].pk, nonce="guessed"))
    assert client.get(f"/evaluation/vote/{other_round_token}/").status_code == 404
    assert RatingVote.objects.filter(round=rating_round).count() == 2
    # The ballot is secret: a vote does not name its rater.
    assert "rater" not in {f.name for f in RatingVote._meta.get_fields()}

    login(client, "secretary_a")
    assert client.post(f"/admin/evaluation/ratinground/close/{rating_round.pk}/").status_code == 302
    rating_round.refresh_from_db()
    assert (rating_round.excellent, rating_round.votes_cast, rating_round.invited) == (2, 2, 3)
    assert rating_round.grade == Grade.EXCELLENT and not rating_round.removal_flagged

    client.logout()
    late = client.post(links[2], {"grade": "incompetent"})
    assert late.status_code == 410 and "已结束" in late.content.decode()
    assert RatingVote.objects.filter(round=rating_round).count() == 2

    login(client, "secretary_a")
    letter = client.get(f"/admin/evaluation/ratinground/letter/{rating_round.pk}/")
    assert letter.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(letter.content)).paragraphs)
    cells = [
        c.text for t in Document(io.BytesIO(letter.content)).tables for r in t.rows for c in r.cells
    ]
    assert "江安市第一人民医院" in text and f"{year}年度述职测评" in text
    assert "优秀" in cells and "2" in cells

    # Someone without rights on community A sees none of it.
    login(client, "member_b")
    assert client.get(f"/admin/evaluation/ratinground/results/{rating_round.pk}/").status_code in (
        302,
        403,
        404,
    )


def test_votes_after_the_deadline_are_refused(client, pages, users):
    report = AnnualReport.objects.create(
        user=users["member_a"], committee=pages["A"], year=clock.today().year, body="<p>x</p>"
    )
    rating_round = _round_for(report, ["甲"], closes_in=timedelta(seconds=-1))
    link = rating_round.raters.get().vote_path()
    response = client.post(link, {"grade": "excellent"})
    assert response.status_code == 410
    assert not RatingVote.objects.filter(round=rating_round).exists()
    # The first look after the deadline records the result (no votes: invalid, no grade).
    login(client, "admin")
    page = client.get(f"/admin/evaluation/ratinground/results/{rating_round.pk}/").content.decode()
    rating_round.refresh_from_db()
    assert rating_round.closed_at is not None and rating_round.grade == ""
    assert "测评无效" in page
    # A closed round cannot be edited; a new round cannot start in the past.
    edit_url = RatingRoundAdmin().url_helper.get_action_url("edit", rating_round.pk)
    assert client.get(edit_url).status_code in (302, 403)
    fresh = AnnualReport.objects.create(
        user=users["member_b"], committee=pages["B"], year=clock.today().year, body="<p>y</p>"
    )
    response = client.post(
        RatingRoundAdmin().url_helper.create_url,
        {
            "report": fresh.pk,
            "closes_at": "2020-01-01 10:00",
            **_inline("raters", [{"name": "李明", "kind": "committee"}]),
        },
    )
    assert response.status_code == 200
    assert "截止时间必须晚于当前时间" in response.content.decode()


def test_incompetent_is_flagged_for_removal(client, pages, users):
    report = AnnualReport.objects.create(
        user=users["member_a"], committee=pages["A"], year=clock.today().year, body="<p>x</p>"
    )
    rating_round = _round_for(report, ["甲", "乙", "丙"])
    for rater, grade in zip(
        rating_round.raters.all(), ["incompetent", "incompetent", "competent"], strict=True
    ):
        assert client.post(rater.vote_path(), {"grade": grade}).status_code == 200
    rating_round.close()
    assert rating_round.grade == Grade.INCOMPETENT and rating_round.removal_flagged
    login(client, "admin")
    page = client.get(f"/admin/evaluation/ratinground/results/{rating_round.pk}/").content.decode()
    assert f"/admin/access/appointment/remove/{report.appointment_id}/" in page
    listing = client.get(RatingRoundAdmin().url_helper.index_url + "?removal_flagged__exact=1")
    assert listing.status_code == 200 and str(report) in listing.content.decode()
