"""The 发布前检查 inside Wagtail's publish action itself (issue 20, item 1): the admin
API, ``publish_scheduled`` and a 共建审核 approval are checked like the edit view, and
create-and-publish offers 发布 only where the new page's workflow allows it."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, TaskState

from plugins.workflows.models import ReviewTerm
from tests.conftest import login
from tests.workflows.conftest import act, current_state, live_title

WORD = "演示敏感词"


def _api_publish(client, page):
    return client.post(f"/admin/api/main/pages/{page.pk}/action/publish/",
                       content_type="application/json", data={})  # fmt: skip


def test_admin_api_publish_runs_the_check(client, pages):
    ua = Page.objects.get(pk=pages["ua"].pk).specific
    ua.title = f"江安市第一人民医院{WORD}"
    ua.save_revision()
    login(client, "secretary_a")
    response = _api_publish(client, ua)
    assert response.status_code == 400, response.content
    assert f"【{WORD}】" in response.json()["__all__"][0]
    assert live_title(ua) == "江安市第一人民医院"

    ua = Page.objects.get(pk=ua.pk).specific
    ua.title = "江安市第一人民医院（更新）"
    ua.save_revision()
    response = _api_publish(client, ua)
    assert response.status_code == 200, response.content
    assert live_title(ua) == "江安市第一人民医院（更新）"


def test_scheduled_publish_rechecks_terms_added_after_scheduling(pages, monkeypatch):
    """The term is listed after the page was scheduled: at go-live time nothing is
    published, the schedule is cancelled, the draft stays, history and mail say why."""
    from django.contrib.auth import get_user_model

    ReviewTerm.objects.filter(term="新增禁用词").delete()
    author = get_user_model().objects.get(username="secretary_a")
    ua = Page.objects.get(pk=pages["ua"].pk).specific
    ua.title = "江安市第一人民医院新增禁用词"
    ua.go_live_at = timezone.now() + timedelta(days=1)
    revision = ua.save_revision(user=author)
    revision.publish(user=author)
    assert Page.objects.get(pk=ua.pk).scheduled_revision is not None
    ReviewTerm.objects.create(term="新增禁用词", kind="sensitive", active=True)

    mail.outbox.clear()
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    call_command("publish_scheduled")
    monkeypatch.undo()

    page = Page.objects.get(pk=ua.pk)
    assert page.title == "江安市第一人民医院"
    assert page.scheduled_revision is None  # cancelled: the next run does not retry
    assert page.get_latest_revision().as_object().title == "江安市第一人民医院新增禁用词"
    entry = PageLogEntry.objects.get(page=page, action="workflows.schedule_blocked")
    assert "【新增禁用词】" in entry.data["comment"]
    assert [m.to for m in mail.outbox] == [[author.email]]
    assert "定时发布未执行" in mail.outbox[0].subject and "【新增禁用词】" in mail.outbox[0].body


def _local_review_page(pages):
    """A page under 共建审核 (本级审核), whose reviewer is secretary_a."""
    page = Page.objects.get(pk=pages["community_a"].pk)
    workflow = page.get_workflow()
    assert workflow is not None and workflow.name == "共建审核"
    return page


def test_local_review_last_step_runs_the_check_and_says_so(client, pages, submit):
    community = _local_review_page(pages)
    old = community.title
    submit(community, "admin", title=f"{old}{WORD}")
    state = current_state(community)
    assert state.status == TaskState.STATUS_IN_PROGRESS

    response = act(client, community, state, "approve", "secretary_a")
    shown = client.get(response["Location"], follow=True).content.decode()
    assert f"【{WORD}】" in shown and "未审核通过" in shown
    assert live_title(community) == old
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS

    submit(community, "admin", title=f"{old}（更新）")
    state = current_state(community)
    response = act(client, community, state, "approve", "secretary_a")
    shown = client.get(response["Location"], follow=True).content.decode()
    assert live_title(community) == f"{old}（更新）"
    assert "页面已发布" in shown
