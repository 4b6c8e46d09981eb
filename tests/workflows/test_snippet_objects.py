"""Workflow features with a non-page object under a workflow (issue 20, item 4).

No model of the suite uses Wagtail's ``WorkflowMixin`` for snippets, and Wagtail's test
app is not installed, so the object here is an existing registered snippet, a 审核词表
entry, with its workflow run (state, task state, revision) written directly: the code
under test (our signal receivers, dashboard panels and states) only reads those rows,
which is exactly what it does for a real snippet workflow."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from wagtail.models import (
    GroupApprovalTask,
    Revision,
    TaskState,
    Workflow,
    WorkflowState,
    WorkflowTask,
)
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from tests.conftest import login


@pytest.fixture
def snippet_run(demo):
    from django.contrib.auth.models import Group

    from plugins.workflows.models import OrgReviewTask, ReviewTerm

    users = get_user_model().objects
    author, moderator = users.get(username="publicity"), users.get(username="admin")
    term = ReviewTerm.objects.create(term="待审词语")
    content_type = ContentType.objects.get_for_model(ReviewTerm)
    workflow = Workflow.objects.create(name="词表审核", active=True)
    task = GroupApprovalTask.objects.create(name="词表复核", active=True)
    task.groups.add(Group.objects.get_or_create(name="词表审核员")[0])
    org_task = OrgReviewTask.objects.create(name="词表组织审核", level="community", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowTask.objects.create(workflow=workflow, task=org_task, sort_order=1)
    revision = Revision.objects.create(
        content_type=content_type, base_content_type=content_type, object_id=str(term.pk),
        content={"term": term.term}, user=author,
    )  # fmt: skip
    state = WorkflowState.objects.create(
        content_type=content_type, base_content_type=content_type, object_id=str(term.pk),
        workflow=workflow, status=WorkflowState.STATUS_IN_PROGRESS, requested_by=author,
    )  # fmt: skip
    task_state = TaskState.objects.create(workflow_state=state, revision=revision, task=task)
    state.current_task_state = task_state
    state.save()
    return {"term": term, "state": state, "task_state": task_state, "org_task": org_task,
            "author": author, "moderator": moderator, "revision": revision}  # fmt: skip


def test_notifications_hand_snippets_to_wagtail_without_errors(snippet_run):
    state, moderator = snippet_run["state"], snippet_run["moderator"]
    mail.outbox.clear()
    workflow_submitted.send(sender=WorkflowState, instance=state, user=snippet_run["author"])
    task_submitted.send(sender=TaskState, instance=snippet_run["task_state"], user=moderator)
    org_state = TaskState.objects.create(workflow_state=state, revision=snippet_run["revision"],
                                         task=snippet_run["org_task"])  # fmt: skip
    task_submitted.send(sender=TaskState, instance=org_state, user=moderator)
    workflow_approved.send(sender=WorkflowState, instance=state, user=moderator)
    workflow_rejected.send(sender=WorkflowState, instance=state, user=moderator)
    # Wagtail's own mails went to the author (approved, rejected), none of ours.
    to_author = [m for m in mail.outbox if "publicity@demo.gongjian.invalid" in m.to]
    assert len(to_author) == 2
    assert all("待审词语" in m.subject + m.body for m in to_author)


def test_dashboard_lists_snippet_tasks_and_submissions(client, snippet_run):
    login(client, "admin")
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "待我审核" in html and "待审词语" in html and "词表复核" in html
    login(client, "publicity")
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    submitted = html[html.index("我提交的") :]
    assert "待审词语" in submitted and "待审核" in submitted and "词表复核" in submitted


def test_object_state_in_chinese(snippet_run):
    from plugins.workflows.states import object_state

    state = snippet_run["state"]
    assert str(object_state(state)) == "待审核（词表复核）"
    state.status = WorkflowState.STATUS_APPROVED
    assert str(object_state(state)) == "已通过"
