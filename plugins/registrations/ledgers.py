"""驻区单位摸排登记 (the unit registry), 单位党组织报到 and 在职党员报到 ledgers, from Excel.

Streets and communities kept these tables in Excel long before the public forms; the
import takes them in through the list's admin form, checked as the public forms
check them (credit code by GB 32100-2015, phone numbers), so an imported row is as
good as a submitted one.

- A unit is the same unit when its community and its unified social credit code
  (统一社会信用代码) match, the key the table is unique on; an imported unit is tied
  to its resident unit page as a public submission is (``services.match_unit``).
- A member check-in is the same when its community and mobile number match: people
  change workplaces and posts, rarely their phone, and a name alone is not unique.
- Only those who moderate a community (may publish its page; the registrations
  managers everywhere) import into it; the office vouches for its own ledger, so new
  rows are 已审核 unless the sheet's 审核状态 column says otherwise.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page
from wagtail.permissions import policy_registry

from gongjian_site.ledgers import Column, Ledger
from plugins.orgs.api import normalise_phone, validate_phone
from plugins.orgs.models import CommunityPage

from .admin import MemberCheckInAdmin, UnitCheckInAdmin, UnitSurveyAdmin
from .models import MemberCheckIn, Status, UnitCheckIn, UnitSurvey
from .services import match_unit
from .validators import credit_code_error, normalise_credit_code, validate_mobile


class RegistrationLedger(Ledger):
    new_defaults = {"status": Status.APPROVED}

    def communities(self, user):
        pages = CommunityPage.objects.order_by("path")
        if not user.is_active:
            return pages.none()
        if user.is_superuser or user.has_perm(
            f"registrations.change_{self.model._meta.model_name}"
        ):
            return pages
        publishable = policy_registry.get_by_type(Page).instances_user_has_any_permission_for(
            user, {"publish"}
        )
        return pages.filter(pk__in=publishable.values("pk"))


def _phone_error(header, value):
    try:
        validate_phone(value)
    except Exception as exc:  # ValidationError with a Chinese message
        return f"{header}：{' '.join(getattr(exc, 'messages', [str(exc)]))}"
    return None


class UnitSurveyLedger(RegistrationLedger):
    key = "unit-survey"
    title = gettext_lazy("驻区单位摸排登记表")
    key_description = gettext_lazy("报到社区和统一社会信用代码")
    admin_class = UnitSurveyAdmin
    phone_field = "contact_phone"
    columns = (
        Column("unit_name", required=True),
        Column("credit_code", required=True),
        Column("kind", "choice", required=True),
        Column("address", required=True),
        Column("party_organisation", required=True),
        Column("secretary_name", required=True),
        Column("party_member_count", "int", required=True),
        Column("contact_name", required=True),
        Column("contact_phone", required=True),
        Column("resources"),
        Column("community", "community"),
        Column("status", "choice"),
    )

    def clean_values(self, values):
        reasons = []
        values["credit_code"] = code = normalise_credit_code(values.get("credit_code"))
        error = credit_code_error(code)
        if error:
            reasons.append(f"{_('统一社会信用代码')}：{error}")
        phone = self.phone_field
        if phone in values:
            header = str(self.model._meta.get_field(phone).verbose_name)
            error = _phone_error(header, values[phone])
            if error:
                reasons.append(error)
            values[phone] = normalise_phone(values[phone])
        return reasons

    def natural_key(self, community, values):
        return (community.pk, values["credit_code"])

    def row_label(self, values):
        return f"{values.get('unit_name', '')} {values['credit_code']}"

    def find(self, community, values):
        return UnitSurvey.objects.filter(community=community,
                                         credit_code=values["credit_code"]).first()  # fmt: skip

    def new_record(self, community, values):
        record = super().new_record(community, values)
        record.unit = match_unit(community, values.get("unit_name", ""), values["credit_code"])
        return record


class UnitCheckInLedger(UnitSurveyLedger):
    """驻区单位党组织报到登记表: the same unit key and checks as the registry."""

    key = "unit-checkin"
    title = gettext_lazy("驻区单位党组织报到登记表")
    admin_class = UnitCheckInAdmin
    phone_field = "liaison_phone"
    columns = (
        Column("unit_name", required=True),
        Column("credit_code", required=True),
        Column("party_organisation", required=True),
        Column("org_type", "choice", required=True),
        Column("secretary_name", required=True),
        Column("party_member_count", "int", required=True),
        Column("liaison_name", required=True),
        Column("liaison_phone", required=True),
        Column("intentions"),
        Column("community", "community"),
        Column("status", "choice"),
    )

    def find(self, community, values):
        return UnitCheckIn.objects.filter(community=community,
                                          credit_code=values["credit_code"]).first()  # fmt: skip


class MemberCheckInLedger(RegistrationLedger):
    key = "member-checkin"
    title = gettext_lazy("在职党员到社区报到登记表")
    key_description = gettext_lazy("报到社区和手机号码")
    admin_class = MemberCheckInAdmin
    columns = (
        Column("name", required=True),
        Column("party_organisation", required=True),
        Column("workplace", required=True),
        Column("service_post", "choice", required=True),
        Column("mobile", required=True),
        Column("home_address", required=True),
        Column("community", "community"),
        Column("status", "choice"),
    )

    def clean_values(self, values):
        try:
            validate_mobile(values["mobile"])
        except Exception as exc:  # ValidationError with a Chinese message
            return [f"{_('手机号码')}：{' '.join(getattr(exc, 'messages', [str(exc)]))}"]
        values["mobile"] = normalise_phone(values["mobile"])
        return []

    def natural_key(self, community, values):
        return (community.pk, values["mobile"])

    def row_label(self, values):
        # The report is on screen: the number's last four digits tell people apart.
        return f"{values.get('name', '')}（尾号 {values['mobile'][-4:]}）"

    def find(self, community, values):
        return (MemberCheckIn.objects.filter(community=community, mobile=values["mobile"])
                .order_by("pk").first())  # fmt: skip


LEDGERS = [UnitSurveyLedger(), UnitCheckInLedger(), MemberCheckInLedger()]
