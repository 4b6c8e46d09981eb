"""典型案例发布: the pre-publish check, street review, district final approval."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState

from tests.conftest import login
from tests.workflows.conftest import act, current_state, live_title

BODY = "<p>医院党支部每月到<b>幸福里社区</b>开展义诊。</p>"


def _body(html=BODY):
    """The body as the Draftail editor posts it (the form renders it through JS)."""
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    return nested_form_data({"body": streamfield([("paragraph", rich_text(html))])})


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def case(pages):
    """A draft case written up under community A (publicity edits the district)."""
    from plugins.cases.models import CasePage

    case = CasePage(title="义诊进社区", slug="yizhen", live=False,
                    body=[("paragraph", BODY)])  # fmt: skip
    pages["community_a"].add_child(instance=case)
    case.save_revision()
    return Page.objects.get(pk=case.pk).specific


def test_case_goes_through_street_then_district(client, case, submit):
    assert case.get_workflow().name == "典型案例发布"
    mail.outbox.clear()
    submit(case, "publicity", **_body(), title="义诊进社区（送审）")
    state = current_state(case)
    assert state.task.name == "街道审核"  # the automatic check passed first
    check = TaskState.objects.get(workflow_state=state.workflow_state, task__name="发布前检查")
    assert check.status == TaskState.STATUS_APPROVED
    assert _recipients() == ["secretary_street@demo.gongjian.invalid"]

    # The community's secretary is not a street reviewer; the district waits its turn.
    for username in ("secretary_a", "orgdept"):
        act(client, case, state, "approve", username)
        state.refresh_from_db()
        assert state.status == TaskState.STATUS_IN_PROGRESS

    mail.outbox.clear()
    act(client, case, state, "approve", "secretary_street", comment="事例典型，同意上报")
    final = current_state(case)
    assert final.task.name == "区委终审" and not Page.objects.get(pk=case.pk).live
    assert _recipients() == ["orgdept@demo.gongjian.invalid"]

    # Final rejection: the author and the earlier reviewer hear of it (Wagtail #10196).
    mail.outbox.clear()
    act(client, case, final, "reject", "orgdept", comment="请补充群众评价")
    assert WorkflowState.objects.get(pk=final.workflow_state_id).status == "needs_changes"
    assert _recipients() == [
        "publicity@demo.gongjian.invalid", "secretary_street@demo.gongjian.invalid",
    ]  # fmt: skip
    assert all("请补充群众评价" in m.body for m in mail.outbox)

    # Resubmitted, it resumes at the final step; approval publishes it.
    submit(case, "publicity", **_body(), title="义诊进社区（修改稿）")
    again = current_state(case)
    assert again.task.name == "区委终审"
    mail.outbox.clear()
    act(client, case, again, "approve", "orgdept")
    assert Page.objects.get(pk=case.pk).live and live_title(case) == "义诊进社区（修改稿）"
    assert _recipients() == ["publicity@demo.gongjian.invalid"]

    # History: who, step, decision and comment, in Chinese; compare and revert respond.
    login(client, "orgdept")
    history = client.get(reverse("wagtailadmin_pages:history", args=[case.pk])).content.decode()
    assert "“典型案例发布”·“街道审核”：审核通过，转入“区委终审”" in history
    assert "“典型案例发布”·“区委终审”：退回修改" in history
    assert "请补充群众评价" in history and "（自动检查）" in history
    revisions = list(Page.objects.get(pk=case.pk).revisions.order_by("pk"))
    compare = reverse("wagtailadmin_pages:revisions_compare",
                      args=[case.pk, revisions[0].pk, revisions[-1].pk])  # fmt: skip
    assert client.get(compare).status_code == 200
    revert = reverse("wagtailadmin_pages:revisions_revert", args=[case.pk, revisions[0].pk])
    assert client.get(revert).status_code == 200


def test_check_stops_listed_term_and_passes_clean_text(client, case, pages, submit):
    from plugins.workflows.models import ReviewTerm

    ReviewTerm.objects.create(term="党支部每月", kind="outdated", replacement="党支部定期")
    mail.outbox.clear()
    submit(case, "publicity", **_body())
    state = current_state(case)
    assert state.task.name == "发布前检查" and state.status == TaskState.STATUS_REJECTED
    assert "医院【党支部每月】到幸福里社区开展义诊" in state.comment  # in context, tags stripped
    assert "建议改为“党支部定期”" in state.comment
    assert not Page.objects.get(pk=case.pk).live
    assert _recipients() == ["publicity@demo.gongjian.invalid"]  # no reviewer is bothered
    assert "【党支部每月】" in mail.outbox[0].body
    login(client, "publicity")
    assert "已退回" in client.get(reverse("wagtailadmin_home")).content.decode()

    # A unit page without listed terms passes the check and waits for the community.
    ua = pages["ua"]
    submit(ua, "member_a", title="江安市第一人民医院（无问题）")
    assert current_state(ua).task.name == "社区审核"
    # A demo entry (旧称) in a unit's title stops it before any reviewer sees it.
    ub = pages["ub"]
    mail.outbox.clear()
    submit(ub, "member_b", title="江北区工委来访江北区实验小学")
    rejected = current_state(ub)
    assert rejected.status == TaskState.STATUS_REJECTED and "【江北区工委】" in rejected.comment
    assert live_title(ub) == "江北区实验小学"
    assert _recipients() == ["member_b@demo.gongjian.invalid"]
