"""Creating and publishing in one go follows the workflow of the type being created. The
demo has no account that may both create cases and publish under a street, so the test
makes one the ordinary Wagtail way (a group with add, change and publish on 新华街道): a
case created there follows 典型案例发布 (街道审核 then 区委终审), whose last step is not
theirs, so no 发布 is offered and a crafted publish POST publishes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission

from plugins.cases.models import CasePage
from plugins.orgs.models import StreetPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def street_editor(client, demo):
    street = StreetPage.objects.get(slug="xinhua")
    group = Group.objects.create(name="新华街道编辑（测试）")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=street, permission=Permission.objects.get(codename=codename)
        )
    user = get_user_model().objects.create_user("street_editor", password="x")
    user.groups.add(group)
    client.force_login(user)
    return street


def create_url(parent):
    return reverse("wagtailadmin_pages:add", args=["cases", "casepage", parent.pk])


def test_no_publish_offered_when_creating_a_case(client, street_editor):
    street = street_editor
    response = client.get(create_url(street))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html

    client.force_login(get_user_model().objects.get(username="admin"))
    assert 'name="action-publish"' in client.get(create_url(street)).content.decode()


def test_a_crafted_publish_on_create_publishes_nothing(client, street_editor):
    street = street_editor
    form = client.get(create_url(street))
    assert form.status_code == 200
    data = {
        "title": "街道直接发布的案例",
        "slug": "street-direct-case",
        "date": "2026-11-30",
        "action-publish": "action-publish",
    }
    client.post(create_url(street), data)
    assert not CasePage.objects.filter(slug="street-direct-case", live=True).exists()
