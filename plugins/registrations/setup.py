"""The registrations plugin's profile: a group that manages every registration."""

from django.contrib.auth.models import Group, Permission

#: Members of this group (e.g. the district organisation department) see, moderate and
#: export every community's registrations; everyone else is scoped by their pages.
MANAGERS_GROUP = "报到登记管理"
MODELS = ("unitsurvey", "unitcheckin", "membercheckin")


def setup():
    """Create the managers group with the model permissions (idempotent)."""
    group, _created = Group.objects.get_or_create(name=MANAGERS_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label="registrations",
        codename__in=[f"{action}_{model}" for model in MODELS
                      for action in ("view", "change", "delete")],
    )  # fmt: skip
    group.permissions.add(*permissions)
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    group.permissions.add(access_admin)
