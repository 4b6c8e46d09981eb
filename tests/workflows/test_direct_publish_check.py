"""The 发布前检查 on every publish (issue 20, item 1) and the Chinese feedback after
submitting, approving and sending back (item 6)."""

from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page, PageLogEntry

from tests.conftest import login
from tests.workflows.conftest import act, current_state, live_title

WORD = "演示敏感词"


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _messages(response):
    return [str(m.message).strip() for m in get_messages(response.wsgi_request)]


def test_secretary_a_cannot_publish_hospital_with_listed_term_by_any_route(
    client, pages, edit_form
):
    ua = pages["ua"]
    title = f"江安市第一人民医院{WORD}"
    revisions = ua.revisions.count()

    # Edit view 发布 (also what a crafted POST does): saved as a draft, not published,
    # and the match is shown in context.
    data = edit_form(ua)
    login(client, "secretary_a")
    assert 'name="action-publish"' in client.get(_edit_url(ua)).content.decode()
    data.update(title=title, **{"action-publish": "action-publish"})
    response = client.post(_edit_url(ua), data, follow=True)
    assert live_title(ua) == "江安市第一人民医院"
    page = Page.objects.get(pk=ua.pk)
    assert page.revisions.count() == revisions + 1  # nothing the publisher wrote is lost
    assert page.get_latest_revision().as_object().title == title
    shown = response.content.decode()
    assert "未发布" in shown and f"江安市第一人民医院【{WORD}】" in shown

    # Scheduling it for later: the same check.
    data["go_live_at"] = "2099-01-01 08:00"
    client.post(_edit_url(ua), data)
    assert Page.objects.get(pk=ua.pk).scheduled_revision is None

    # Bulk 发布 of the saved draft: listed as not publishable, with the match; nothing goes live.
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    confirm = client.get(f"{url}?id={ua.pk}", follow=True).content.decode()
    assert f"【{WORD}】" in confirm
    client.post(f"{url}?id={ua.pk}", {"include_descendants": ""})
    assert live_title(ua) == "江安市第一人民医院"

    # Revert to the draft and publish: the same check.
    draft = Page.objects.get(pk=ua.pk).get_latest_revision()
    revert = reverse("wagtailadmin_pages:revisions_revert", args=[ua.pk, draft.pk])
    client.post(revert, {**data, "title": title})
    assert live_title(ua) == "江安市第一人民医院"

    # Without the word it publishes.
    data.pop("go_live_at")
    data["title"] = "江安市第一人民医院（更新）"
    response = client.post(_edit_url(ua), data)
    assert response.status_code == 302
    assert live_title(ua) == "江安市第一人民医院（更新）"


def test_last_step_approval_with_listed_term_is_not_published(client, pages, submit, edit_form):
    """The reviewer adds the word while approving the last step: approving would publish,
    so it does not happen, and the reviewer is told why."""
    ua = pages["ua"]
    submit(ua, "member_a", title="江安市第一人民医院（送审）")
    state = current_state(ua)
    assert state.task.name == "社区审核"
    data = edit_form(ua)
    login(client, "secretary_a")
    data.update(title=f"江安市第一人民医院{WORD}", **{
        "action-workflow-action": "true", "workflow-action-name": "approve",
    })  # fmt: skip
    client.post(_edit_url(ua), data)
    assert live_title(ua) == "江安市第一人民医院"
    state.refresh_from_db()
    assert state.status == "in_progress"

    # From the dashboard (the workflow action view) the same, with the match in context.
    response = act(client, ua, state, "approve", "secretary_a")
    follow = client.get(response["Location"], follow=True).content.decode()
    assert live_title(ua) == "江安市第一人民医院"
    assert f"【{WORD}】" in follow


def test_feedback_after_submit_approve_and_send_back(client, pages, submit):
    from plugins.cases.models import CasePage

    case = CasePage(title="义诊进社区", slug="yizhen-feedback", live=False,
                    body=[("paragraph", "<p>义诊</p>")])  # fmt: skip
    pages["community_a"].add_child(instance=case)
    case.save_revision()
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    body = nested_form_data({"body": streamfield([("paragraph", rich_text("<p>义诊</p>"))])})
    response = submit(case, "publicity", **body)
    texts = _messages(response)
    assert any(t.startswith("已提交“典型案例发布”，已转“街道审核”（") for t in texts), texts

    state = current_state(case)
    response = act(client, case, state, "approve", "secretary_street")
    follow = client.get(response["Location"])
    texts = _messages(follow)
    assert any(t.startswith("已通过“街道审核”，已转“区委终审”（") for t in texts), texts

    final = current_state(case)
    response = act(client, case, final, "reject", "orgdept", comment="请补充群众评价")
    texts = _messages(client.get(response["Location"]))
    assert any(t.startswith("“区委终审”已退回修改，已退回给") for t in texts), texts

    response = submit(case, "publicity", **body)
    again = current_state(case)
    response = act(client, case, again, "approve", "orgdept")
    texts = _messages(client.get(response["Location"]))
    assert "已通过“区委终审”，页面已发布。" in texts
    assert Page.objects.get(pk=case.pk).live
    assert not PageLogEntry.objects.filter(page=case, action="workflows.publish_override")
