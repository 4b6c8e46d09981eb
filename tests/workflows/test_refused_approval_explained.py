"""A last-step approval that the 发布前检查 refuses says so, with the matches in context
(issue 20: "Edit-view approval of the 共建审核 last step with a listed term is refused but
shows no explanation"), from the edit view's workflow action menu and from the dashboard,
and nothing is published or advanced."""

from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState

from tests.conftest import login
from tests.workflows.conftest import current_state, live_title

WORD = "演示敏感词"


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _messages(response):
    return [unescape(str(m.message)) for m in get_messages(response.wsgi_request)]


def _approve_in_edit_view(client, edit_form, page, username, **fields):
    """The reviewer opens the edit view and picks 审核通过 in its workflow action menu."""
    data = edit_form(page)
    data.update(fields)
    login(client, username)
    shown = client.get(_edit_url(page)).content.decode()
    assert "data-workflow-action-url" in shown or "workflow-action-name" in shown
    data.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
    return client.post(_edit_url(page), data)


def _assert_refused(client, response, page, state, live):
    """Nothing published or advanced; the reviewer is back on the edit view, told why."""
    assert response.status_code == 302
    assert response["Location"] == _edit_url(page)
    texts = _messages(client.get(response["Location"]))
    refused = [t for t in texts if t.startswith("未审核通过")]
    assert len(refused) == 1, texts
    assert f"【{WORD}】" in refused[0] and "发布前检查发现 1 处需要修改的词语" in refused[0]
    # No message that reads as if the approval had happened.
    assert not any(t.startswith("已通过") or "已发布" in t for t in texts), texts
    assert live_title(page) == live
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS and state.finished_by is None
    assert state.workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert current_state(page).pk == state.pk
    return refused[0]


def _local_review_page(pages):
    page = Page.objects.get(pk=pages["community_a"].pk)
    assert page.get_workflow().name == "共建审核"
    return page


def test_local_review_edit_view_approval_with_term_is_refused_and_explained(
    client, pages, submit, edit_form
):
    community = _local_review_page(pages)
    old = community.title
    submit(community, "admin", title=f"{old}{WORD}")
    state = current_state(community)
    assert state.task.name == "本级审核" and state.status == TaskState.STATUS_IN_PROGRESS

    response = _approve_in_edit_view(client, edit_form, community, "secretary_a")
    refused = _assert_refused(client, response, community, state, old)
    assert f"{old}【{WORD}】" in refused  # the match in its context

    # Fixed in the same edit view, approving publishes and says so.
    response = _approve_in_edit_view(client, edit_form, community, "secretary_a",
                                     title=f"{old}（更新）")  # fmt: skip
    assert live_title(community) == f"{old}（更新）"
    texts = _messages(client.get(response["Location"]))
    assert any(t.startswith("已通过“本级审核”，页面已发布") for t in texts), texts


def test_term_added_while_approving_in_edit_view_is_refused_and_explained(
    client, pages, submit, edit_form
):
    """The reviewer adds the word in the edit form and approves: the edit is kept as a
    draft, nothing is published, and the reason is shown (共建审核)."""
    community = _local_review_page(pages)
    old = community.title
    submit(community, "admin", title=f"{old}（送审）")
    state = current_state(community)

    response = _approve_in_edit_view(client, edit_form, community, "secretary_a",
                                     title=f"{old}{WORD}")  # fmt: skip
    _assert_refused(client, response, community, state, old)
    draft = Page.objects.get(pk=community.pk).get_latest_revision().as_object()
    assert draft.title == f"{old}{WORD}"


def test_refusal_is_not_mistaken_for_an_earlier_approval(client, pages, submit, edit_form):
    """The same reviewer approved this page before: the refused attempt must not be
    reported with that earlier approval's message."""
    community = _local_review_page(pages)
    old = community.title
    submit(community, "admin", title=f"{old}（一）")
    _approve_in_edit_view(client, edit_form, community, "secretary_a")
    assert live_title(community) == f"{old}（一）"

    submit(community, "admin", title=f"{old}{WORD}")
    state = current_state(community)
    response = _approve_in_edit_view(client, edit_form, community, "secretary_a")
    _assert_refused(client, response, community, state, f"{old}（一）")


def test_org_review_last_step_edit_view_approval_is_explained(client, pages, submit, edit_form):
    """The same for 组织审核 (单位信息更新's 社区审核, its last step)."""
    ua = pages["ua"]
    submit(ua, "member_a", title="江安市第一人民医院（送审）")
    state = current_state(ua)
    assert state.task.name == "社区审核"
    response = _approve_in_edit_view(client, edit_form, ua, "secretary_a",
                                     title=f"江安市第一人民医院{WORD}")  # fmt: skip
    _assert_refused(client, response, ua, state, "江安市第一人民医院")


@pytest.mark.parametrize("which", ["local", "org"])
def test_dashboard_approval_with_term_is_refused_and_explained(client, pages, submit, which):
    """The 审核通过 button of 待我审核 on the dashboard, as the reviewer sees it."""
    if which == "local":
        page, author, live = _local_review_page(pages), "admin", None
        live = page.title
        submit(page, author, title=f"{live}{WORD}")
    else:
        page, live = pages["ua"], "江安市第一人民医院"
        submit(page, "member_a", title="江安市第一人民医院（送审）")
        revision = Page.objects.get(pk=page.pk).get_latest_revision()
        draft = revision.as_object()
        draft.title = f"江安市第一人民医院{WORD}"
        draft.save_revision()  # edited after the check passed (e.g. by a co-editor)
    state = current_state(page)

    login(client, "secretary_a")
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    approve_url = reverse("wagtailadmin_pages:workflow_action",
                          args=[page.pk, "approve", state.pk])  # fmt: skip
    assert f'action="{approve_url}"' in dashboard
    response = client.post(approve_url)
    assert response.status_code == 302
    texts = _messages(client.get(response["Location"]))
    refused = [t for t in texts if t.startswith("未审核通过")]
    assert len(refused) == 1 and f"【{WORD}】" in refused[0], texts
    assert live_title(page) == live
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS
