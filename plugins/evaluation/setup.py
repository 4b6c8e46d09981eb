"""The evaluation plugin's profile: the 考核评价管理 group (district organisation
department) holding every permission on this plugin's records (idempotent)."""

from django.contrib.auth.models import Group, Permission

from .policies import MANAGERS_GROUP


def setup():
    group, _created = Group.objects.get_or_create(name=MANAGERS_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="evaluation"))
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    group.permissions.add(admin_access)
    return group
