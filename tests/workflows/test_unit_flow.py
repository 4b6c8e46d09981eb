"""单位信息更新 through the admin views: submit, approve, send back, other community."""

from django.core import mail
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState

from tests.conftest import login
from tests.workflows.conftest import act, current_state, live_title

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_member_submits_secretary_approves_page_goes_live(
    client, pages, submit, django_assert_max_num_queries
):
    ua = pages["ua"]
    mail.outbox.clear()
    submit(ua, "member_a", title="江安市第一人民医院（更新）")
    state = current_state(ua)
    assert state.task.name == "社区审核" and state.status == TaskState.STATUS_IN_PROGRESS
    assert live_title(ua) == "江安市第一人民医院"  # submitted, not published
    # Exactly the community's reviewer is told (not secretary_b, not superusers).
    assert _recipients() == ["secretary_a@demo.gongjian.invalid"]
    assert "社区审核" in mail.outbox[0].subject

    # 待我审核 lists it for secretary_a only; the page header names the step and holder.
    login(client, "secretary_a")
    with django_assert_max_num_queries(80) as queries:
        home = client.get(reverse("wagtailadmin_home")).content.decode()
    print(f"dashboard queries (secretary_a, one task waiting): {len(queries)}")
    assert "待我审核" in home and "江安市第一人民医院（更新）" in home
    header = client.get(reverse("wagtailadmin_pages:edit", args=[ua.pk])).content.decode()
    assert "状态：待审核（社区审核：陈晓梅）" in header
    login(client, "secretary_b")
    assert (
        "江安市第一人民医院（更新）"
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )

    mail.outbox.clear()
    response = act(client, ua, state, "approve", "secretary_a")
    assert response.status_code == 302
    assert live_title(ua) == "江安市第一人民医院（更新）"
    assert Page.objects.get(pk=ua.pk).live
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_APPROVED and state.finished_by.username == "secretary_a"
    assert _recipients() == ["member_a@demo.gongjian.invalid"]
    assert "已发布" in mail.outbox[0].body

    # 我提交的 shows the author the state.
    login(client, "member_a")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "我提交的" in home and "已发布" in home


def test_send_back_keeps_live_version_and_shows_comment(client, pages, submit):
    ua = pages["ua"]
    submit(ua, "member_a", title="江安市第一人民医院（草拟）")
    state = current_state(ua)
    mail.outbox.clear()
    act(client, ua, state, "reject", "secretary_a", comment="请补充义诊活动的照片")
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_REJECTED
    assert live_title(ua) == "江安市第一人民医院"  # the live version is unchanged
    page = Page.objects.get(pk=ua.pk)
    assert (
        page.live and page.get_latest_revision().as_object().title == "江安市第一人民医院（草拟）"
    )
    assert _recipients() == ["member_a@demo.gongjian.invalid"]
    assert "请补充义诊活动的照片" in mail.outbox[0].body

    login(client, "member_a")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "已退回" in home and "请补充义诊活动的照片" in home
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[ua.pk])).content.decode()
    assert "已退回" in edit

    # Resubmitting resumes the flow; the reviewer approves the corrected draft.
    submit(ua, "member_a", title="江安市第一人民医院（已补充）")
    state = current_state(ua)
    assert state.task.name == "社区审核" and state.status == TaskState.STATUS_IN_PROGRESS
    act(client, ua, state, "approve", "secretary_a")
    assert live_title(ua) == "江安市第一人民医院（已补充）"


def test_resubmitting_after_a_send_back_runs_the_check_again(client, pages, submit):
    """Wagtail resumes at the step that sent the page back; the check before that step
    runs again first, so a listed term added after a send-back never reaches the
    reviewer (the demo lists 江北区工委 as a 旧称)."""
    ua = pages["ua"]
    submit(ua, "member_a", title="江安市第一人民医院（草拟）")
    act(client, ua, current_state(ua), "reject", "secretary_a", comment="标题请写全称")
    mail.outbox.clear()
    submit(ua, "member_a", title="江北区工委联系点江安市第一人民医院")
    state = current_state(ua)
    assert state.task.name == "发布前检查" and state.status == TaskState.STATUS_REJECTED
    assert "【江北区工委】" in state.comment
    assert _recipients() == ["member_a@demo.gongjian.invalid"]  # no reviewer is asked
    assert live_title(ua) == "江安市第一人民医院"

    # Corrected, it passes the check once more and waits for the community's reviewer.
    mail.outbox.clear()
    submit(ua, "member_a", title="江安市第一人民医院（全称）")
    state = current_state(ua)
    assert state.task.name == "社区审核" and state.status == TaskState.STATUS_IN_PROGRESS
    checks = TaskState.objects.filter(workflow_state=state.workflow_state,
                                      task__name="发布前检查").order_by("pk")  # fmt: skip
    assert [c.status for c in checks] == ["approved", "rejected", "approved"]
    assert _recipients() == ["secretary_a@demo.gongjian.invalid"]
    act(client, ua, state, "approve", "secretary_a")
    assert live_title(ua) == "江安市第一人民医院（全称）"


def test_other_community_secretary_cannot_act(client, pages, submit):
    ua = pages["ua"]
    mail.outbox.clear()
    submit(ua, "member_a", title="江安市第一人民医院（待审）")
    state = current_state(ua)
    assert "secretary_b@demo.gongjian.invalid" not in _recipients()
    from django.contrib.auth import get_user_model

    secretary_b = get_user_model().objects.get(username="secretary_b")
    assert state not in TaskState.objects.reviewable_by(secretary_b)

    for action in ("approve", "reject"):
        response = act(client, ua, state, action, "secretary_b", comment="越权", **XHR)
        assert response.status_code == 403
        response = act(client, ua, state, action, "secretary_b", comment="越权")
        assert response.status_code == 302  # the admin's "no permission" redirect
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS and state.finished_by is None
    assert WorkflowState.objects.get(pk=state.workflow_state_id).status == "in_progress"
    assert live_title(ua) == "江安市第一人民医院"


def test_editor_can_save_and_submit_but_never_publish(client, pages, submit):
    ua = pages["ua"]
    submit(ua, "member_a", action="action-publish", title="江安市第一人民医院（直接发布）")
    assert live_title(ua) == "江安市第一人民医院"
    assert current_state(ua) is None  # nothing published, nothing submitted
    submit(ua, "member_a", action="action-save", title="江安市第一人民医院（草稿）")
    assert live_title(ua) == "江安市第一人民医院"
    assert Page.objects.get(pk=ua.pk).has_unpublished_changes


def test_the_explorer_shows_each_row_in_the_same_states(client, pages, submit):
    """The page explorer's status column reads 待审核（step）, 已退回（step）, 已发布 …
    from what the listing fetched anyway."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    community = pages["community_a"]
    url = reverse("wagtailadmin_explore", args=[community.pk])

    def explorer():
        login(client, "admin")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    explorer()  # warm the per-process caches (menus, site)
    before, html = explorer()
    assert "已发布" in html and "待审核" not in html
    submit(pages["ua"], "member_a", title="江安市第一人民医院（更新）")
    after, html = explorer()
    assert "待审核（社区审核）" in html
    # Wagtail's own lock check reads the step's task once for a row in moderation (the
    # same with its stock status column); the state column adds nothing to that.
    assert after <= before + 1, (before, after)
    act(client, pages["ua"], current_state(pages["ua"]), "reject", "secretary_a", comment="补充")
    _count, html = explorer()
    assert "已退回（社区审核）" in html
