"""The registrations' record policies (see ``plugins.access.record_policy``).

Who may do what with a registration (摸排登记, 单位报到, 在职党员报到):

* the 报到登记管理 group (the model's view / change / delete permissions) acts on
  every community's records, as Wagtail's model permissions say;
* whoever may edit the record's community page or its unit's page (the community's
  secretary, the unit's part-time members and liaisons) sees and corrects it;
* only those who may publish on the record's community (its reviewers) moderate it
  (``moderate``: the state, the note, where it belongs; change requests) or delete it.

Registrations come in through the public forms: nobody adds one in the admin but
holders of the model's add permission.
"""

from plugins.access.api import Reach, RecordPermissionPolicy


def _pages():
    from plugins.orgs.models import CommunityPage, ResidentUnitPage

    return CommunityPage, ResidentUnitPage


class RegistrationPolicy(RecordPermissionPolicy):
    action_permissions = {"moderate": "change"}
    #: Whether the records name a resident unit page (the unit tables do).
    has_unit = True

    @property
    def reaches(self):
        community, unit = _pages()
        editors = (Reach("community", "change", page_type=community),)
        if self.has_unit:
            editors += (Reach("unit", "change", page_type=unit),)
        moderators = (Reach("community", "publish", page_type=community),)
        return {"view": editors, "change": editors, "moderate": moderators,
                "delete": moderators}  # fmt: skip


class UnitSurveyPolicy(RegistrationPolicy):
    model_name = "registrations.UnitSurvey"


class UnitCheckInPolicy(RegistrationPolicy):
    model_name = "registrations.UnitCheckIn"


class MemberCheckInPolicy(RegistrationPolicy):
    model_name = "registrations.MemberCheckIn"
    has_unit = False


POLICIES = (UnitSurveyPolicy(), UnitCheckInPolicy(), MemberCheckInPolicy())
