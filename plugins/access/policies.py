"""The appointment's record policy (see ``record_policy``): who may see and change
兼职委员任职 records.

Appointment managers (the 任职管理员 group: ``access.change_appointment``) appoint,
change, renew and remove everywhere; a unit's people (whoever may edit the unit's page:
its members, liaisons and Editors, the secretary of the community above) read the
appointments from or to their units. Nobody deletes one: an appointment ends by removal
(免职) or expiry, and its record is kept.
"""

from .record_policy import Reach, RecordPermissionPolicy


def _unit_page():
    from plugins.orgs.models import ResidentUnitPage

    return ResidentUnitPage


class AppointmentPolicy(RecordPermissionPolicy):
    model_name = "access.Appointment"
    action_permissions = {"remove": "change", "renew": "change"}

    @property
    def reaches(self):
        unit = _unit_page()
        return {
            "view": (
                Reach("source_unit", "change", page_type=unit),
                Reach("assigned_units", "change", many=True, page_type=unit),
            ),
        }

    def allows(self, user, action, instance):
        from .models import AppointmentStatus

        if action == "delete":
            return False
        if action == "remove":
            return instance.status != AppointmentStatus.REMOVED
        return True


appointment_policy = AppointmentPolicy()
