"""The access plugin's profile: a group that may manage appointments (idempotent)."""

from django.contrib.auth.models import Group, Permission

#: Organisation-department staff who appoint, renew and remove part-time members.
APPOINTMENT_MANAGERS = "任职管理员"


def setup():
    """Appointment managers' group, unit media collections, the review workflow."""
    from .media import ensure_unit_collections
    from .mediafiles import sync_media_files
    from .workflow import ensure_review_workflow

    ensure_unit_collections()
    # Files whose collection changed privacy without a signal (a collection moved to
    # another parent in the admin) go where their collection now says.
    sync_media_files()
    ensure_review_workflow()
    group, _created = Group.objects.get_or_create(name=APPOINTMENT_MANAGERS)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="access",
            codename__in=["add_appointment", "change_appointment", "view_appointment"],
        ),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
