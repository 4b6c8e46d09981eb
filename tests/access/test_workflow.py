"""Submit for review (Editor) and approve (Reviewer) through Wagtail's workflow views."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page, TaskState

from tests.conftest import login

User = get_user_model()


def _submit(client, page, admin_form, username, title):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = admin_form(url)
    login(client, username)
    data.update({"title": title, "action-submit": "action-submit"})
    return client.post(url, data)


def _task_state(page):
    return TaskState.objects.filter(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    ).first()


def test_member_submits_and_secretary_approves(client, tree, admin_form):
    ua = tree["ua"]
    _submit(client, ua, admin_form, "member_a", "江安市第一人民医院（送审）")
    state = _task_state(ua)
    # Units go through the workflows plugin's 单位信息更新 (check, then 社区审核).
    assert state is not None and state.task.specific.name == "社区审核"

    secretary = User.objects.get(username="secretary_a")
    assert state in TaskState.objects.reviewable_by(secretary)
    assert state not in TaskState.objects.reviewable_by(User.objects.get(username="member_a"))
    assert state not in TaskState.objects.reviewable_by(User.objects.get(username="member_b"))

    action = reverse("wagtailadmin_pages:workflow_action", args=[ua.pk, "approve", state.pk])
    login(client, "member_b")
    client.post(action, {})
    assert Page.objects.get(pk=ua.pk).title == "江安市第一人民医院"

    login(client, "secretary_a")
    assert "江安市第一人民医院（送审）" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.post(action, {})
    assert Page.objects.get(pk=ua.pk).title == "江安市第一人民医院（送审）"
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_APPROVED
    assert state.finished_by == secretary


def test_secretary_sends_back_for_changes(client, tree, admin_form):
    ua = tree["ua"]
    _submit(client, ua, admin_form, "member_a", "江安市第一人民医院（需修改）")
    state = _task_state(ua)
    login(client, "secretary_a")
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[ua.pk, "reject", state.pk]),
        {"comment": "请补充活动照片"},
    )
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_REJECTED
    assert Page.objects.get(pk=ua.pk).title == "江安市第一人民医院"
