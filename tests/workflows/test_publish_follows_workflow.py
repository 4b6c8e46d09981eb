"""Publishing follows the workflow (issue 20, item 1): a reviewer of an earlier step cannot
publish by any route; the last step's reviewer publishes by approving."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page, TaskState

from tests.conftest import login
from tests.workflows.conftest import act, current_state, live_title

BODY = "<p>医院党支部每月到<b>幸福里社区</b>开展义诊。</p>"


def _body(html=BODY):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    return nested_form_data({"body": streamfield([("paragraph", rich_text(html))])})


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _fresh(page):
    return Page.objects.get(pk=page.pk)


@pytest.fixture
def case(pages):
    """A draft case under community A (典型案例发布 follows every case)."""
    from plugins.cases.models import CasePage

    case = CasePage(title="义诊进社区", slug="yizhen", live=False, body=[("paragraph", BODY)])
    pages["community_a"].add_child(instance=case)
    case.save_revision()
    return Page.objects.get(pk=case.pk).specific


@pytest.fixture
def pending_case(case, submit):
    """The case submitted by publicity, now waiting at 街道审核."""
    submit(case, "publicity", **_body(), title="义诊进社区（送审）")
    assert current_state(case).task.name == "街道审核"
    return case


def test_policy_holds_back_earlier_reviewers_and_lets_last_step_publish(demo, case, pages):
    users = get_user_model().objects
    street, orgdept, secretary_a = (users.get(username=n) for n in
                                    ("secretary_street", "orgdept", "secretary_a"))  # fmt: skip
    from wagtail.permissions import policy_registry

    page_policy = policy_registry.get_by_type(Page)
    for user in (street, secretary_a):
        perms = _fresh(case).permissions_for_user(user)
        assert not perms.can_publish(), user.username
        assert not page_policy.user_has_permission_for_instance(user, "publish", case)
        assert page_policy.publish_reserved_step(user, case).name == "区委终审"
    assert _fresh(case).permissions_for_user(orgdept).can_publish()
    assert _fresh(case).permissions_for_user(users.get(username="admin")).can_publish()
    # The hospital: secretary_a acts on 社区审核, the last human step of 单位信息更新.
    assert _fresh(pages["ua"]).permissions_for_user(secretary_a).can_publish()
    # A plain base Page (as listings load it) finds the case's type workflow too.
    assert not Page.objects.get(pk=case.pk).permissions_for_user(street).can_publish()


def test_edit_view_has_no_publish_button_and_crafted_post_changes_nothing(
    client, pending_case, edit_form
):
    case = pending_case
    revisions = case.revisions.count()
    login(client, "secretary_street")
    page = client.get(_edit_url(case)).content.decode()
    assert 'name="action-publish"' not in page
    assert "审核通过" in page  # their own step stays theirs

    data = edit_form(case)
    login(client, "secretary_street")
    data.update(_body(), title="义诊进社区（街道直接发布）", **{"action-publish": "action-publish"})
    response = client.post(_edit_url(case), data)
    assert response.status_code in (302, 403)
    fresh = _fresh(case)
    assert not fresh.live and fresh.revisions.count() == revisions
    assert current_state(case).task.name == "街道审核"

    # Scheduling is publishing later: refused the same way.
    data["go_live_at"] = "2099-01-01 08:00"
    client.post(_edit_url(case), data)
    assert _fresh(case).revisions.count() == revisions


def test_revert_and_publish_is_refused(client, pending_case, edit_form):
    case = pending_case
    first = case.revisions.order_by("pk").first()
    data = edit_form(case)
    login(client, "secretary_street")
    data.update(_body(), **{"action-publish": "action-publish"})
    url = reverse("wagtailadmin_pages:revisions_revert", args=[case.pk, first.pk])
    client.post(url, data)
    assert not _fresh(case).live


def test_unpublish_of_a_live_case_is_refused(client, pending_case):
    case = pending_case
    case.get_latest_revision().publish()  # live now (as if approved earlier)
    login(client, "secretary_street")
    explore = client.get(reverse("wagtailadmin_explore", args=[case.get_parent().pk]))
    unpublish = reverse("wagtailadmin_pages:unpublish", args=[case.pk])
    assert unpublish not in explore.content.decode()
    response = client.post(unpublish)
    assert response.status_code in (302, 403)
    assert _fresh(case).live


def test_bulk_publish_is_refused(client, pending_case):
    case = pending_case
    login(client, "secretary_street")
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    query = f"?id={case.pk}&next=/admin/"
    confirm = client.get(url + query).content.decode()
    assert "义诊进社区" in confirm  # listed among the pages the user may not publish
    client.post(url + query, {"include_descendants": ""})
    assert not _fresh(case).live


def test_admin_api_publish_is_refused(client, pending_case):
    case = pending_case
    login(client, "secretary_street")
    response = client.post(f"/admin/api/main/pages/{case.pk}/action/publish/",
                           content_type="application/json", data="{}")  # fmt: skip
    assert response.status_code == 403
    assert not _fresh(case).live


def test_street_then_district_approval_publishes(client, pending_case):
    case = pending_case
    state = current_state(case)
    act(client, case, state, "approve", "secretary_street")
    final = current_state(case)
    assert final.task.name == "区委终审" and not _fresh(case).live
    act(client, case, final, "approve", "orgdept")
    assert _fresh(case).live and live_title(case) == "义诊进社区（送审）"
    final.refresh_from_db()
    assert final.status == TaskState.STATUS_APPROVED


def test_superuser_publishes_directly_and_the_log_says_so(client, pending_case, edit_form):
    case = pending_case
    data = edit_form(case)
    login(client, "admin")
    data.update(_body(), **{"action-publish": "action-publish"})
    response = client.post(_edit_url(case), data)
    assert response.status_code == 302
    assert _fresh(case).live
    from wagtail.models import PageLogEntry

    entry = PageLogEntry.objects.filter(page=case, action="workflows.publish_override").get()
    message = str(entry.message)
    assert "典型案例发布" in message and "管理员" in message


def test_publish_confirmation_dialog_is_chinese(client, pending_case):
    """orgdept may publish directly (the last step is theirs); Wagtail then asks to confirm
    cancelling the run. The dialog is ours, in Chinese (Wagtail's catalogue lacks it)."""
    login(client, "orgdept")
    url = reverse("wagtailadmin_pages:confirm_workflow_cancellation", args=[pending_case.pk])
    html = client.get(url).json()["html"]
    assert "此页面正处于“典型案例发布”的<strong>街道审核</strong>步骤" in html
    assert "发布此页面将取消当前的审核流程" in html
    assert "currently at" not in html and "Would you still" not in html
