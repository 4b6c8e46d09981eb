"""The permission matrix, through the real admin views, on the demo city.

Each demo user against {own unit, its child page, another unit, own community,
another community} and each admin action. "Allowed" is judged by what changed in
the database (or what the page offers), never by the status code alone; a denied
write must leave the page as it was.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page

from plugins.recyclebin.models import is_in_bin
from tests.conftest import login

TARGETS = ("own_unit", "own_child", "other_unit", "own_community", "other_community")
SIDE_A = {"own_unit": "ua", "own_child": "ua_child", "other_unit": "ub",
          "own_community": "community_a", "other_community": "community_b"}  # fmt: skip
SIDE_B = {"own_unit": "ub", "own_child": "ub_child", "other_unit": "ua",
          "own_community": "community_b", "other_community": "community_a"}  # fmt: skip
USERS = {"member_a": SIDE_A, "member_b": SIDE_B, "secretary_a": SIDE_A}

ACTIONS = ("listing", "edit_get", "edit_post", "create", "publish", "unpublish", "delete",
           "chooser", "search")  # fmt: skip
NOTHING = dict.fromkeys(ACTIONS, False)
# Editor (兼职委员 in term): add and change, submit for review, never publish. It cannot
# delete or unpublish live pages (Wagtail's rule without publish permission).
EDITOR = {**NOTHING, "listing": True, "edit_get": True, "edit_post": True, "create": True,
          "chooser": True, "search": True}  # fmt: skip
# Reviewer (secretary_a on community A): change and publish, but not add.
REVIEWER = {**NOTHING, "listing": True, "edit_get": True, "edit_post": True, "publish": True,
            "unpublish": True, "search": True}  # fmt: skip
MEMBER = {"own_unit": EDITOR, "own_child": EDITOR, "other_unit": NOTHING,
          "own_community": NOTHING, "other_community": NOTHING}  # fmt: skip
EXPECTED = {
    "member_a": MEMBER,
    "member_b": MEMBER,
    "secretary_a": {
        "own_unit": REVIEWER,  # UA has a child, and a reviewer has no bulk delete
        "own_child": {**REVIEWER, "delete": True},  # a leaf: change + publish may delete
        "other_unit": NOTHING,
        "own_community": REVIEWER,
        "other_community": NOTHING,
    },
}

# Query budgets per admin request, measured with these users (see test_query_counts
# for the proof that they do not grow with the number of grants).
# The editor also shows the workflow state and the meetings and 公示 header buttons.
# A reviewer's listing also decides, once per request, whether the workflow lets them
# publish directly (a constant few queries; test_admin_visibility proves it per row).
READ_BUDGET = 75
WRITE_BUDGET = 250  # publishing a committee page also reindexes it


def _reload(page):
    return Page.objects.filter(pk=page.pk).first()


def _request(client, method, url, data=None, budget=READ_BUDGET):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert len(queries) <= budget, f"{method.upper()} {url}: {len(queries)} queries"
    return response


def _denied_status(response):
    return response.status_code in (302, 403)


# --- One function per action: returns whether the user could do it -------------


def listing(client, page, **_):
    response = _request(client, "get", reverse("wagtailadmin_explore", args=[page.pk]))
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return response.status_code == 200 and edit_url in response.content.decode()


def edit_get(client, page, **_):
    response = _request(client, "get", reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200 or _denied_status(response)
    return response.status_code == 200


def edit_post(client, page, admin_form, user, **_):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = admin_form(url)
    login(client, user)
    before = _reload(page)
    data["title"] = before.title + "（草稿修改）"
    response = _request(client, "post", url, data, WRITE_BUDGET)
    after = _reload(page)
    changed = after.latest_revision_id != before.latest_revision_id
    if changed:
        revision = after.get_latest_revision()
        assert revision.content["title"] == data["title"]
        assert revision.user.username == user
    else:
        assert _denied_status(response)
        assert after.title == before.title
    assert after.title == before.title  # a draft never changes the live page
    return changed


def create(client, page, admin_form, user, **_):
    url = reverse("wagtailadmin_pages:add", args=["wagtailcore", "page", page.pk])
    data = admin_form(url)
    login(client, user)
    can_open = _request(client, "get", url).status_code == 200
    data.update(title="新建的页面", slug="created-by-test")
    response = _request(client, "post", url, data, WRITE_BUDGET)
    created = Page.objects.child_of(page).filter(slug="created-by-test").exists()
    if not created:
        assert _denied_status(response)
    assert can_open == created
    return created


def publish(client, page, admin_form, user, **_):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = admin_form(url)
    login(client, user)
    before = _reload(page)
    data["title"] = before.title + "（已发布修改）"
    data["action-publish"] = "action-publish"
    _request(client, "post", url, data, WRITE_BUDGET)
    after = _reload(page)
    published = after.live and after.title == data["title"]
    if not published:
        assert after.title == before.title and after.live == before.live
    return published


def unpublish(client, page, **_):
    url = reverse("wagtailadmin_pages:unpublish", args=[page.pk])
    response = _request(client, "post", url, {}, WRITE_BUDGET)
    after = _reload(page)
    if after.live:
        assert _denied_status(response)
    return not after.live


def delete(client, page, **_):
    url = reverse("wagtailadmin_pages:delete", args=[page.pk])
    response = _request(client, "post", url, {}, WRITE_BUDGET)
    # Deleting in the admin moves the page into the recycle bin (plugins/recyclebin).
    reloaded = _reload(page)
    gone = reloaded is None or is_in_bin(reloaded)
    if not gone:
        assert _denied_status(response)
    return gone


def chooser(client, page, **_):
    """May the user pick this page as the place to create a page (the move/copy chooser)?"""
    url = reverse("wagtailadmin_choose_page_child", args=[page.get_parent().pk])
    response = _request(client, "get", url + "?user_perms=add_subpage")
    assert response.status_code == 200
    html = response.json()["html"]
    assert f'data-id="{page.pk}"' in html or "disabled" in html
    return re.search(rf'class="choose-page"[^>]*data-id="{page.pk}"', html) is not None


def search(client, page, **_):
    response = _request(client, "get", reverse("wagtailadmin_pages:search"), {"q": page.title})
    assert response.status_code == 200
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return edit_url in response.content.decode()


ACTION_FUNCTIONS = {name: globals()[name] for name in ACTIONS}
READ_ONLY = ("listing", "edit_get", "chooser", "search")
INDEPENDENT_WRITES = ("edit_post", "create", "publish", "unpublish")


def _run(client, tree, admin_form, user, actions, targets):
    mismatches = []
    for action in actions:
        for target in targets:
            page = tree[USERS[user][target]]
            login(client, user)
            allowed = ACTION_FUNCTIONS[action](client, page, admin_form=admin_form, user=user)
            expected = EXPECTED[user][target][action]
            if allowed != expected:
                mismatches.append(f"{user} {action} {target}: got {allowed}, want {expected}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("user", USERS)
def test_read_only_actions(client, tree, admin_form, user):
    _run(client, tree, admin_form, user, READ_ONLY, TARGETS)


@pytest.mark.parametrize("action", INDEPENDENT_WRITES)
@pytest.mark.parametrize("user", USERS)
def test_write_actions(client, tree, admin_form, user, action):
    _run(client, tree, admin_form, user, [action], TARGETS)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("user", USERS)
def test_delete(client, tree, admin_form, user, target):
    # One target per test: deleting a page changes what may be deleted around it.
    _run(client, tree, admin_form, user, ["delete"], [target])


def test_member_deletes_own_draft(client, tree, admin_form):
    """An Editor may delete an unpublished page in their unit, as Wagtail allows editors."""
    draft = Page(title="未发布草稿", slug="draft", live=False)
    tree["ua"].add_child(instance=draft)
    login(client, "member_a")
    assert delete(client, draft)
