"""The plugin's profile and demo content are safe to run again."""

import io

import pytest
from django.contrib.auth.models import Group

from plugins.registrations import demo, setup

pytestmark = pytest.mark.django_db


def test_setup_creates_the_managers_group_idempotently():
    setup.setup()
    setup.setup()
    group = Group.objects.get(name=setup.MANAGERS_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_unitsurvey", "view_membercheckin", "delete_unitcheckin"} <= codenames
    assert "access_admin" in codenames


def test_demo_without_the_demo_city_does_nothing():
    demo.load_demo(io.StringIO())


def test_managers_see_every_record(client, demo_registrations):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("manager", password="x")
    user.groups.add(Group.objects.get(name=setup.MANAGERS_GROUP))
    client.force_login(user)
    html = client.get("/admin/registrations/unitsurvey/").content.decode()
    assert "幸福里烘焙坊" in html and "江安市第一人民医院" in html
