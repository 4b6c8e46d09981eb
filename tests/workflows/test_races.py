"""Bad input and races: finished tasks, a reviewer removed mid-flow, two reviewers at once."""

import threading
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, TaskState

from plugins.access.grants import grant_role, revoke_role
from tests.conftest import login
from tests.workflows.conftest import act, current_state, live_title

User = get_user_model()


def _deputy(page):
    """A second Reviewer of community A (副书记)."""
    deputy = User.objects.create_user("deputy_a", "deputy_a@demo.gongjian.invalid", "x",
                                      last_name="林", first_name="红")  # fmt: skip
    from django.contrib.auth.models import Group

    from plugins.orgs.setup import STAFF_GROUP

    deputy.groups.add(Group.objects.get(name=STAFF_GROUP))  # may sign in to the admin
    grant_role(page, deputy, "reviewer")
    return deputy


def test_acting_on_a_finished_task_says_so(client, pages, submit):
    ua = pages["ua"]
    submit(ua, "member_a", title="江安市第一人民医院（一）")
    state = current_state(ua)
    act(client, ua, state, "approve", "secretary_a")
    # The whole workflow is over: Wagtail's own message, nothing changes.
    response = act(client, ua, state, "reject", "secretary_a", comment="晚了", follow=True)
    assert response.status_code == 200
    state.refresh_from_db()
    assert (
        state.status == TaskState.STATUS_APPROVED and live_title(ua) == "江安市第一人民医院（一）"
    )
    assert "目前不在等待审核" in response.content.decode()


def test_finished_step_in_a_running_workflow_gives_a_clear_message(client, pages, submit):
    from plugins.cases.models import CasePage

    case = CasePage(title="楼道微改造", slug="weigaizao", live=False)
    pages["community_a"].add_child(instance=case)
    case.save_revision()
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    submit(case, "publicity", **nested_form_data({"body": streamfield([])}), title="楼道微改造")
    street = current_state(case)
    act(client, case, street, "approve", "secretary_street")
    assert current_state(case).task.name == "区委终审"
    response = act(client, case, street, "approve", "secretary_street", follow=True)
    content = response.content.decode()
    assert "该审核步骤已结束（周强 于" in content and "审核通过）" in content
    assert TaskState.objects.filter(workflow_state=street.workflow_state,
                                    task__name="区委终审").count() == 1  # fmt: skip


def test_reviewer_removed_mid_flow(client, pages, submit):
    ua, community_a = pages["ua"], pages["community_a"]
    deputy = _deputy(community_a)
    mail.outbox.clear()
    submit(ua, "member_a", title="江安市第一人民医院（换届中）")
    state = current_state(ua)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "deputy_a@demo.gongjian.invalid", "secretary_a@demo.gongjian.invalid",
    ]  # fmt: skip
    secretary = User.objects.get(username="secretary_a")
    revoke_role(community_a, secretary, "reviewer")
    response = act(client, ua, state, "approve", "secretary_a", follow=True)
    assert response.status_code == 200
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS  # no change, no lost revision
    assert state not in TaskState.objects.reviewable_by(secretary)
    act(client, ua, state, "approve", "deputy_a")
    assert live_title(ua) == "江安市第一人民医院（换届中）"

    # The last reviewer goes too: the step falls to the street, so nothing is stuck.
    submit(ua, "member_a", title="江安市第一人民医院（空缺）")
    state = current_state(ua)
    revoke_role(community_a, deputy, "reviewer")
    street = User.objects.get(username="secretary_street")
    assert state in TaskState.objects.reviewable_by(street)
    login(client, "secretary_street")
    header = client.get(reverse("wagtailadmin_pages:edit", args=[ua.pk])).content.decode()
    assert "待审核（社区审核：周强）" in header
    act(client, ua, state, "approve", "secretary_street")
    assert live_title(ua) == "江安市第一人民医院（空缺）"


ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite locks the whole database: no concurrent "
                    "writers to race; run on PostgreSQL (.ci/with-postgres.sh)")  # fmt: skip
# Committed, so the two requests' connections see the demo (tests/baselines.py restores it
# after the flush that ends this test).
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approve_at_once_one_wins(demo, pages, submit, client, monkeypatch):
    from django.test import Client

    ua = pages["ua"]
    _deputy(pages["community_a"])
    submit(ua, "member_a", title="江安市第一人民医院（并发）")
    state = current_state(ua)

    # Hold the winner inside its transaction a moment, so the other request has
    # passed every check and waits on the row lock rather than arriving late.
    original = TaskState.approve

    def slow_approve(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(TaskState, "approve", slow_approve)
    barrier = threading.Barrier(2)
    results = {}

    def review(username):
        try:
            reviewer = Client()
            reviewer.force_login(User.objects.get(username=username))
            barrier.wait()
            url = reverse("wagtailadmin_pages:workflow_action", args=[ua.pk, "approve", state.pk])
            response = reviewer.post(url, {}, follow=True)
            results[username] = (response.status_code, response.content.decode())
        finally:
            connection.close()

    threads = [
        threading.Thread(target=review, args=(name,)) for name in ("secretary_a", "deputy_a")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    state.refresh_from_db()
    assert state.status == TaskState.STATUS_APPROVED
    assert state.finished_by.username in {"secretary_a", "deputy_a"}
    loser = ({"secretary_a", "deputy_a"} - {state.finished_by.username}).pop()
    assert all(code == 200 for code, _body in results.values())
    assert "该审核步骤已结束" in results[loser][1]
    assert live_title(ua) == "江安市第一人民医院（并发）"
    approvals = PageLogEntry.objects.filter(page=ua, action="wagtail.workflow.approve")
    assert [e.data["workflow"]["task"]["title"] for e in approvals].count("社区审核") == 1
    assert PageLogEntry.objects.filter(page=ua, action="wagtail.publish").count() >= 1
    assert Page.objects.get(pk=ua.pk).live
