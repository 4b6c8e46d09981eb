"""Meetings' attendance (出席记录) policy (see ``plugins.access.record_policy``).

An attendance row belongs to a meeting page and copies its person's source unit. It is
read by whoever may edit the meeting's committee (its secretary, editors above it: the
right on an organisation page above the meeting) and, for their own units' people, by
the units' part-time members (the right on the row's source unit). Rows are written in
the meeting page's editor, by the page policy; nobody changes them here.
"""

from plugins.access.api import Reach, RecordPermissionPolicy, scope_of


class AttendancePolicy(RecordPermissionPolicy):
    model_name = "meetings.Attendance"

    @property
    def reaches(self):
        from plugins.orgs.models import ResidentUnitPage

        return {
            "view": (
                Reach("meeting", "change", above=True),
                Reach("source_unit", "change", page_type=ResidentUnitPage),
            )
        }

    def allows(self, user, action, instance):
        return action == "view"


attendance_policy = AttendancePolicy()


def committees_user_manages(user):
    """Community and street pages whose meetings ``user`` may manage (edit)."""
    from plugins.orgs.models import CommunityPage, StreetPage

    if user.is_active and user.is_superuser:
        pages = [*StreetPage.objects.all(), *CommunityPage.objects.all()]
    elif not user.is_active:
        return []
    else:
        scope = scope_of(user)
        pages = [
            *StreetPage.objects.filter(pk__in=scope.ids("change", StreetPage)),
            *CommunityPage.objects.filter(pk__in=scope.ids("change", CommunityPage)),
        ]
    return sorted(pages, key=lambda page: page.path)
