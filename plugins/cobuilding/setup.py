"""The cobuilding plugin's profile: the group that manages every community's lists."""

from django.contrib.auth.models import Group, Permission

from .policies import ADMIN_GROUP


def setup():
    """共建清单管理员: district staff who see and change the lists of all communities
    (secretaries and unit people need no group: their page rights scope them)."""
    group, _created = Group.objects.get_or_create(name=ADMIN_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="cobuilding"),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
