"""The policy itself: terms by date, removal, query counts, and Wagtail's groups untouched."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from gongjian_site import clock
from plugins.access.grants import grant_role
from plugins.access.models import Appointment, AppointmentStatus
from plugins.access.policy import LocalRolePagePermissionPolicy
from plugins.orgs.models import CommunityPage, ResidentUnitPage
from tests.conftest import login

User = get_user_model()


@pytest.fixture
def ua(demo):
    return ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_policy_is_registered_for_every_page_type(demo, ua):
    assert isinstance(policy_registry.get_by_type(Page), LocalRolePagePermissionPolicy)
    assert isinstance(policy_registry.get(ua), LocalRolePagePermissionPolicy)


def test_appointment_ending_today_works_today_and_not_tomorrow(client, ua, monkeypatch):
    today = date(2026, 6, 30)
    monkeypatch.setattr(clock, "today", lambda: today)
    Appointment.objects.filter(user__username="member_a").update(end_date=today)

    login(client, "member_a")
    assert client.get(_edit_url(ua)).status_code == 200

    monkeypatch.setattr(clock, "today", lambda: today + timedelta(days=1))
    assert client.get(_edit_url(ua)).status_code in (302, 403)
    # a direct POST to the edit URL changes nothing either
    before = Page.objects.get(pk=ua.pk)
    client.post(_edit_url(ua), {"title": "越权修改", "slug": ua.slug})
    after = Page.objects.get(pk=ua.pk)
    assert (after.title, after.latest_revision_id) == (before.title, before.latest_revision_id)


def test_appointment_not_yet_started_gives_nothing(client, ua, monkeypatch):
    appointment = Appointment.objects.get(user__username="member_a")
    monkeypatch.setattr(clock, "today", lambda: appointment.start_date - timedelta(days=1))
    login(client, "member_a")
    assert client.get(_edit_url(ua)).status_code in (302, 403)


def test_removal_revokes_at_once(client, ua):
    appointment = Appointment.objects.get(user__username="member_a")
    login(client, "admin")
    response = client.post(
        reverse("access_appointment_modeladmin_remove", args=[appointment.pk]),
        {"reason": "transfer", "decided_on": "2026-05-01", "filing_reference": "江北组〔2026〕7号"},
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    # history kept: the record stays, marked removed with its reason
    assert appointment.status == AppointmentStatus.REMOVED
    assert appointment.removal_reason == "transfer"
    assert appointment.filing_reference == "江北组〔2026〕7号"

    login(client, "member_a")
    assert client.get(_edit_url(ua)).status_code in (302, 403)
    before = Page.objects.get(pk=ua.pk)
    client.post(_edit_url(ua), {"title": "免职后修改", "slug": ua.slug})
    assert Page.objects.get(pk=ua.pk).latest_revision_id == before.latest_revision_id


def test_renewal_extends_the_term(client, ua, monkeypatch):
    appointment = Appointment.objects.get(user__username="member_a")
    old_end = appointment.end_date
    login(client, "admin")
    client.post(reverse("access_appointment_modeladmin_renew", args=[appointment.pk]), {"years": 3})
    appointment.refresh_from_db()
    assert appointment.end_date == date(old_end.year + 3, old_end.month, old_end.day)
    monkeypatch.setattr(clock, "today", lambda: old_end + timedelta(days=1))
    login(client, "member_a")
    assert client.get(_edit_url(ua)).status_code == 200


def test_inactive_user_has_no_rights(client, ua):
    User.objects.filter(username="member_a").update(is_active=False)
    user = User.objects.get(username="member_a")
    policy = policy_registry.get_by_type(Page)
    assert not policy.user_has_permission_for_instance(user, "change", ua)


def test_users_with_permission_for_instance_includes_grants(demo, ua):
    policy = policy_registry.get_by_type(Page)
    editors = set(
        policy.users_with_permission_for_instance("change", ua).values_list("username", flat=True)
    )
    assert {"member_a", "secretary_a", "publicity", "admin"} <= editors
    assert "member_b" not in editors
    publishers = set(
        policy.users_with_permission_for_instance("publish", ua).values_list("username", flat=True)
    )
    assert "secretary_a" in publishers and "member_a" not in publishers


def test_group_permissions_behave_as_before(client, demo):
    """A group-granted editor gets exactly what Wagtail's own policy gives (the policy adds)."""
    community_b = CommunityPage.objects.get(slug="guangming")
    group = Group.objects.create(name="光明社区编辑组")
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=community_b, permission=Permission.objects.get(codename=codename)
        )
    user = User.objects.create_user("group_editor", password="x")
    user.groups.add(group, Group.objects.get(name="共建用户"))

    ours, wagtails = LocalRolePagePermissionPolicy(Page), PagePermissionPolicy(Page)
    fresh = User.objects.get(pk=user.pk)
    for page in Page.objects.filter(depth__gt=1):
        for action in ("add", "change", "publish", "bulk_delete", "lock", "unlock"):
            assert ours.user_has_permission_for_instance(
                fresh, action, page
            ) == wagtails.user_has_permission_for_instance(user, action, page), (page, action)
    for actions in ({"change"}, {"add"}, {"publish"}, {"add", "change", "publish"}):
        assert set(ours.instances_user_has_any_permission_for(fresh, actions)) == set(
            wagtails.instances_user_has_any_permission_for(user, actions)
        )
    assert set(ours.explorable_instances(fresh)) == set(wagtails.explorable_instances(user))

    client.force_login(user)
    assert client.get(_edit_url(community_b)).status_code == 200
    ua = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    assert client.get(_edit_url(ua)).status_code in (302, 403)


# --- Query counts do not grow with the number of grants --------------------------


def _hub_with_children(parent, count):
    hub = Page(title="查询计数测试", slug="query-count-hub")
    parent.add_child(instance=hub)
    children = []
    for number in range(count):
        child = Page(title=f"子页面{number}", slug=f"child-{number}")
        hub.add_child(instance=child)
        children.append(child)
    return Page.objects.get(pk=hub.pk), children


def _grant_pages(user):
    from guardian.models import UserObjectPermission

    return set(UserObjectPermission.objects.filter(user=user).values_list("object_pk", flat=True))


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_count_same_with_1_and_200_grants(client, demo):
    """Same rights held through 1 grant or through 200 grants: same SQL count per request.

    ``many`` holds the hub page and each of its first 199 children separately (what a
    secretary granting unit by unit produces); ``one`` holds only the hub."""
    community_a = CommunityPage.objects.get(slug="xingfuli")
    hub, children = _hub_with_children(community_a, 200)
    one = User.objects.create_user("one_grant")
    many = User.objects.create_user("many_grants")
    staff = Group.objects.get(name="共建用户")
    one.groups.add(staff)
    many.groups.add(staff)
    grant_role(hub, one, "editor")
    grant_role(hub, many, "editor")
    for child in children[:199]:
        grant_role(child, many, "editor")
    assert len(_grant_pages(many)) == 200 and len(_grant_pages(one)) == 1

    urls = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[hub.pk]),
        reverse("wagtailadmin_explore", args=[children[150].pk]),
        _edit_url(children[150]),
        reverse("wagtailadmin_pages:search") + "?q=子页面150",
        reverse("wagtailadmin_choose_page_child", args=[hub.pk]),
        reverse("access:my_units"),
    ]
    group_editor = User.objects.create_user("group_editor")
    group = Group.objects.create(name="查询计数组")
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=hub, permission=Permission.objects.get(codename=codename)
        )
    group_editor.groups.add(staff, group)

    # Warm the per-process caches (content types, site root paths) on every URL first,
    # as another user with the same rights: which request fills which entry first
    # depends on the order they are visited in.
    warm = User.objects.create_user("warm_up")
    warm.groups.add(staff)
    grant_role(hub, warm, "editor")
    client.force_login(warm)
    for url in urls:
        client.get(url)
    counts = {}
    for user in (one, many, group_editor):
        client.force_login(user)
        counts[user.username] = [_count(client, url) for url in urls]
    print("query counts per URL:", counts)
    assert counts["one_grant"] == counts["many_grants"]
    # Listing pages cost a few queries per row whatever the source of the rights
    # (Wagtail checks each row's delete button); pagination bounds them.
    for group_count, grant_count in zip(counts["group_editor"], counts["many_grants"], strict=True):
        assert grant_count <= group_count + 4


def test_thousands_of_grant_roots_make_one_valid_query(demo, django_assert_num_queries):
    """SQLite refuses OR-chains past 1000 terms; the subtree filter must stay below that."""
    from plugins.access.subtrees import _subtrees_q

    ua = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    community_b = CommunityPage.objects.get(slug="guangming")
    fake_roots = {f"9999{n:08d}" for n in range(2500)}  # paths no page has
    q = _subtrees_q(fake_roots | {ua.path, ua.path + "0001", community_b.path})
    with django_assert_num_queries(1):
        found = set(Page.objects.filter(q).values_list("pk", flat=True))
    expected = set(Page.objects.descendant_of(ua, inclusive=True).values_list("pk", flat=True))
    expected |= set(
        Page.objects.descendant_of(community_b, inclusive=True).values_list("pk", flat=True)
    )
    assert found == expected
