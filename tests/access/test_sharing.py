"""The 共享 (Sharing) view: who holds what, granting by username, revoking, audit log."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, PageViewRestriction

from plugins.access.grants import local_roles
from plugins.access.roles import EDITOR, READER, REVIEWER
from plugins.orgs.models import CommunityPage, ResidentUnitPage
from tests.conftest import login

User = get_user_model()


@pytest.fixture
def pages(demo):
    return {
        "community_a": CommunityPage.objects.get(slug="xingfuli"),
        "community_b": CommunityPage.objects.get(slug="guangming"),
        "ua": ResidentUnitPage.objects.get(slug="jiangan-no1-hospital"),
    }


def _url(page):
    return reverse("access:sharing", args=[page.pk])


def _rows(response, marker):
    html = response.content.decode()
    return html.count(f"<tr {marker}")


def test_sharing_lists_local_inherited_and_appointment_holders(
    client, pages, django_assert_max_num_queries
):
    login(client, "admin")
    with django_assert_max_num_queries(40):
        response = client.get(_url(pages["ua"]))
    assert response.status_code == 200
    html = response.content.decode()
    # secretary_a's Reviewer role comes from community A, and the view says so
    assert 'data-inherited data-user="secretary_a" data-role="reviewer"' in html
    assert "继承自上级页面“幸福里社区大党委”" in html
    # publicity's Editor role comes from the district
    assert 'data-inherited data-user="publicity" data-role="editor"' in html
    # member_a edits UA through the appointment
    assert 'data-appointment data-user="member_a"' in html
    assert "member_b" not in html
    # on community A itself the secretary's grant is local
    response = client.get(_url(pages["community_a"]))
    assert 'data-local data-user="secretary_a" data-role="reviewer"' in response.content.decode()


def test_grant_by_username_is_logged_and_takes_effect(client, pages):
    login(client, "admin")
    response = client.post(_url(pages["community_b"]), {"username": "member_a", "role": "reader"})
    assert response.status_code == 302
    member_a = User.objects.get(username="member_a")
    assert local_roles(member_a, pages["community_b"]) == [READER]
    entry = PageLogEntry.objects.filter(  # the demo also grants secretary_b here
        page=pages["community_b"], action="gongjian.grant_role", data__username="member_a"
    ).get()
    assert entry.user.username == "admin"
    assert entry.data["username"] == "member_a" and entry.data["role"] == "reader"
    assert "授予 member_a “查看”角色" in entry.message

    client.post(_url(pages["community_b"]), {"username": "member_a", "role": "editor"})
    login(client, "member_a")
    edit = reverse("wagtailadmin_pages:edit", args=[pages["community_b"].pk])
    assert client.get(edit).status_code == 200


def test_revoke_local_grant_is_logged_and_takes_effect(client, pages):
    secretary = User.objects.get(username="secretary_a")
    login(client, "admin")
    response = client.post(
        _url(pages["community_a"]), {"revoke": "1", "user": secretary.pk, "role": "reviewer"}
    )
    assert response.status_code == 302
    assert local_roles(secretary, pages["community_a"]) == []
    assert PageLogEntry.objects.filter(
        page=pages["community_a"], action="gongjian.revoke_role", data__username="secretary_a"
    ).exists()
    login(client, "secretary_a")
    edit = reverse("wagtailadmin_pages:edit", args=[pages["community_a"].pk])
    assert client.get(edit).status_code in (302, 403)


def test_inherited_grant_cannot_be_revoked_below(client, pages):
    secretary = User.objects.get(username="secretary_a")
    login(client, "admin")
    client.post(_url(pages["ua"]), {"revoke": "1", "user": secretary.pk, "role": "reviewer"})
    assert local_roles(secretary, pages["community_a"]) == [REVIEWER]
    assert not PageLogEntry.objects.filter(action="gongjian.revoke_role").exists()


def test_revoking_one_role_keeps_the_other(client, pages):
    secretary = User.objects.get(username="secretary_a")
    login(client, "admin")
    client.post(_url(pages["community_a"]), {"username": "secretary_a", "role": "editor"})
    assert local_roles(secretary, pages["community_a"]) == [EDITOR, REVIEWER]
    client.post(_url(pages["community_a"]), {"revoke": "1", "user": secretary.pk, "role": "editor"})
    # change_page is shared by both roles and must survive
    assert local_roles(secretary, pages["community_a"]) == [REVIEWER]


@pytest.mark.parametrize(
    ("username", "message"),
    [("nobody", "找不到用户“nobody”。"), ("member_b", "用户“member_b”已停用。")],
)
def test_unknown_or_inactive_user_is_refused(client, pages, username, message):
    User.objects.filter(username="member_b").update(is_active=False)
    grants = PageLogEntry.objects.filter(action="gongjian.grant_role")
    before = grants.count()
    login(client, "admin")
    response = client.post(_url(pages["ua"]), {"username": username, "role": "editor"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert grants.count() == before
    assert not local_roles(User.objects.get(username="member_b"), pages["ua"])


def test_who_may_share(client, pages):
    # a Reviewer on an ancestor may share below it
    login(client, "secretary_a")
    assert client.get(_url(pages["ua"])).status_code == 200
    response = client.post(_url(pages["ua"]), {"username": "member_b", "role": "reader"})
    assert response.status_code == 302
    # but not elsewhere
    assert client.get(_url(pages["community_b"])).status_code in (302, 403)
    # an Editor may not share, even where they edit
    login(client, "member_a")
    before = PageLogEntry.objects.filter(action="gongjian.grant_role").count()
    response = client.post(_url(pages["ua"]), {"username": "member_a", "role": "reviewer"})
    assert response.status_code in (302, 403)
    assert not response.get("Location", "").endswith(_url(pages["ua"]))
    assert PageLogEntry.objects.filter(action="gongjian.grant_role").count() == before
    assert local_roles(User.objects.get(username="member_a"), pages["ua"]) == []


def test_sharing_button_in_page_header(client, pages):
    login(client, "secretary_a")
    response = client.get(reverse("wagtailadmin_explore", args=[pages["ua"].pk]))
    assert _url(pages["ua"]) in response.content.decode()
    login(client, "member_a")
    response = client.get(reverse("wagtailadmin_explore", args=[pages["ua"].pk]))
    assert response.status_code == 200
    assert _url(pages["ua"]) not in response.content.decode()


def test_reader_sees_a_private_page(client, pages):
    child = Page(title="内部通知", slug="internal")
    pages["ua"].add_child(instance=child)
    child.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=child, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([])
    url = child.get_url()

    login(client, "member_b")
    assert client.get(url).status_code == 302  # to the login page: not in any allowed group
    login(client, "admin")
    client.post(_url(pages["community_a"]), {"username": "member_b", "role": "reader"})
    login(client, "member_b")
    response = client.get(url)
    assert response.status_code == 200
    assert "内部通知" in response.content.decode()
