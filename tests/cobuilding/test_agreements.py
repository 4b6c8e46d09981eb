"""Agreements (共驻共建协议书): standard clauses, .docx export, commitments and scores."""

import io

import docx
import pytest

from plugins.cobuilding import stats
from plugins.cobuilding.models import (
    STANDARD_CLAUSES,
    Agreement,
    Commitment,
    CommitmentParty,
    Fulfilment,
)
from tests.conftest import login

from .helpers import url


def _docx_text(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "attachment" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return paragraphs, cells


def test_new_agreement_form_is_prefilled_with_the_eight_clauses(client, org):
    login(client, "secretary_a")
    body = client.get(url("agreement", "create")).content.decode()
    for clause in STANDARD_CLAUSES:
        assert clause[:20] in body
    assert Agreement().clause_list()[0].startswith("1. 驻区单位党组织要树立")
    assert len(Agreement().clause_list()) == 8


def test_secretary_creates_edits_and_exports_agreement(client, org, django_assert_max_num_queries):
    login(client, "secretary_a")
    clauses = Agreement().clauses.replace("两份", "三份")
    data = {"community": org["community_a"].pk, "unit": org["school"].pk, "year": 2026,
            "title": "共驻共建协议书", "community_party_organisation": "",
            "unit_party_organisation": "", "preamble": "", "clauses": clauses,
            "community_representative": "王芳", "unit_representative": "周校长",
            "community_liaison": "赵敏", "unit_liaison": "刘老师", "signed_on": "2026-03-01",
            "valid_from": "2026-03-01", "valid_until": "2026-02-01",
            "renewal_reminder_days": 30}  # fmt: skip
    response = client.post(url("agreement", "create"), data)
    assert response.status_code == 200
    assert "有效期截止日期不能早于开始日期。" in response.content.decode()
    response = client.post(url("agreement", "create"), {**data, "clauses": "  \n "})
    assert "协议条款不能为空。" in response.content.decode()
    response = client.post(url("agreement", "create"), {**data, "valid_until": "2028-02-28"})
    assert response.status_code == 302
    agreement = Agreement.objects.get(unit=org["school"])

    with django_assert_max_num_queries(15):
        response = client.get(f"/admin/cobuilding/agreement/docx/{agreement.pk}/")
    assert response.status_code == 200
    paragraphs, cells = _docx_text(response)
    text = "\n".join(paragraphs)
    assert paragraphs[0] == "共驻共建协议书"
    assert "幸福里社区大党委与" in text  # the preamble names both parties
    for n, clause in enumerate(STANDARD_CLAUSES[:7], start=1):
        assert f"{n}. {clause}" in paragraphs
    assert "8. 本协议一式三份，共驻共建双方各执一份，经双方签字后生效。" in paragraphs  # edited
    assert "本协议有效期自 2026-03-01 至 2028-02-28。" in text
    # Both signature blocks: the unit on the left, the community on the right.
    assert cells[0].startswith("驻区单位党组织（盖章）：") and "江安市第十二中学" in cells[0]
    assert cells[1] == "社区党组织（盖章）：幸福里社区大党委"
    assert cells[2:4] == ["负责人（签字）：周校长", "负责人（签字）：王芳"]
    assert cells[4:6] == ["2026 年 3 月 1 日", "2026 年 3 月 1 日"]


def test_unit_member_exports_own_agreement_only(client, org):
    agreement = Agreement.objects.get(unit=org["ua"])
    login(client, "member_a")
    response = client.get(f"/admin/cobuilding/agreement/docx/{agreement.pk}/")
    paragraphs, cells = _docx_text(response)
    assert "负责人（签字）：李建国" in cells
    login(client, "member_b")
    assert client.get(f"/admin/cobuilding/agreement/docx/{agreement.pk}/").status_code == 404


def test_commitment_cycle_and_scores(client, org):
    agreement = Agreement.objects.get(unit=org["ua"])
    year = agreement.year
    # 签诺 by the unit's member; community and unit are taken from the agreement.
    login(client, "member_a")
    response = client.post(url("commitment", "create"), {
        "agreement": agreement.pk, "year": year, "party": "unit",
        "content": "每月开展一次健康讲座", "due_on": "", "is_public": "on"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    commitment = Commitment.objects.get(content="每月开展一次健康讲座")
    assert (commitment.community, commitment.unit) == (org["community_a"], org["ua"])
    # 亮诺 on the board.
    assert "每月开展一次健康讲座" in client.get("/gongshi/xingfuli/").content.decode()
    # 履诺 with a dated record.
    response = client.post(url("fulfilment", "create"), {
        "commitment": commitment.pk, "date": "2026-05-20", "description": "五月健康讲座，60 人",
        "evidence_note": "签到表"})  # fmt: skip
    assert response.status_code == 302
    assert Fulfilment.objects.filter(commitment=commitment).count() == 1
    # 评诺 by the secretary.
    login(client, "secretary_a")
    score_url = f"/admin/cobuilding/commitment/score/{commitment.pk}/"
    page = client.get(score_url).content.decode()
    assert "五月健康讲座，60 人" in page
    response = client.post(score_url, {"score": "101", "comment": ""})
    assert response.status_code == 400 and "得分不能大于 100。" in response.content.decode()
    assert client.post(score_url, {"score": "80", "comment": "按时开展"}).status_code == 302
    commitment.refresh_from_db()
    assert (commitment.score, commitment.scored_by.username) == (80, "secretary_a")
    # The demo scored one of the hospital's commitments 92; the community's own promise
    # does not count for the unit.
    assert stats.commitments_score(org["ua"], year) == pytest.approx((92 + 80) / 2)
    Commitment.objects.filter(agreement=agreement, party=CommitmentParty.COMMUNITY).update(score=0)
    assert stats.commitments_score(org["ua"], year) == pytest.approx(86.0)
    assert stats.commitments_score(org["ub"], year) is None
    assert stats.commitments_score(org["ua"], year - 1) is None
    assert stats.commitments_scores([org["ua"], org["ub"]], year) == {
        org["ua"].pk: pytest.approx(86.0),
        org["ub"].pk: None,
    }


def test_renewal_reminder_filter(client, org):
    from datetime import timedelta

    from gongjian_site import clock

    agreement = Agreement.objects.get(unit=org["ua"])
    agreement.valid_until = clock.today() + timedelta(days=10)
    agreement.save()
    assert agreement.needs_renewal()
    login(client, "secretary_a")
    body = client.get(url("agreement"), {"renewal": "due"}).content.decode()
    assert "需续签" in body and "江安市第一人民医院" in body
    agreement.valid_until = clock.today() + timedelta(days=400)
    agreement.save()
    assert (
        "江安市第一人民医院"
        not in client.get(url("agreement"), {"renewal": "due"}).content.decode()
    )


def test_full_demo_loads_the_lists_idempotently(demo):
    from django.core.management import call_command

    from plugins.cobuilding.models import Claim, Need, Project

    assert "共建清单：幸福里" in demo
    counts = (Need.objects.count(), Claim.objects.count(), Project.objects.count(),
              Commitment.objects.count())  # fmt: skip
    call_command("load_demo", stdout=io.StringIO())
    assert counts == (Need.objects.count(), Claim.objects.count(), Project.objects.count(),
                      Commitment.objects.count())  # fmt: skip


def test_renewal_reminder_command_mails_the_secretary_once(org):
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.core import mail
    from django.core.management import call_command

    from gongjian_site import clock

    get_user_model().objects.filter(username="secretary_a").update(email="sec@example.invalid")
    agreement = Agreement.objects.get(unit=org["ua"])
    agreement.valid_until = clock.today() + timedelta(days=5)
    agreement.save()
    call_command("remind_agreement_renewals", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sec@example.invalid"]
    assert "续签" in mail.outbox[0].body
    call_command("remind_agreement_renewals", stdout=io.StringIO())
    assert len(mail.outbox) == 1
