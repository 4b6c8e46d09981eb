"""The three tables as data: which model, which form, which columns in which order.

The columns follow the policy's 附件 (seed 000: 附件3 驻区单位摸排登记表, 附件5
驻区单位党组织报到登记表) and the 双报到 practice; the seed text names the tables but
its copies of them are blank, so the columns are those DOMAIN.md lists for each
(name, kind, address, Party organisation, secretary, member count, contact,
resources ...) with the credit code after the unit's name. Headers are the model
fields' Chinese names, so the admin form, the list and the export say the same.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .forms import MemberCheckInForm, UnitCheckInForm, UnitSurveyForm
from .models import MemberCheckIn, UnitCheckIn, UnitSurvey


@dataclass(frozen=True)
class Table:
    key: str  # used in URLs
    model: type
    form_class: type
    title: str  # the form's name on paper
    intro: str
    columns: tuple  # model field names, in the paper form's order

    @property
    def is_unit_table(self):
        return "credit_code" in self.columns

    def headers(self):
        """The export's header row: 序号, then each column's Chinese name."""
        return [str(_("序号"))] + [
            str(self.model._meta.get_field(name).verbose_name) for name in self.columns
        ]

    def row(self, record):
        """One record as the export's cells (choices as their Chinese labels)."""
        cells = []
        for name in self.columns:
            field = self.model._meta.get_field(name)
            if field.choices:
                value = getattr(record, f"get_{name}_display")()
            elif field.is_relation:
                related = getattr(record, name)
                value = related.title if related is not None else ""
            else:
                value = getattr(record, name)
            if hasattr(value, "tzinfo") and value.tzinfo is not None:
                from django.utils import timezone

                value = timezone.localtime(value).replace(tzinfo=None)
            cells.append(value if value is not None else "")
        return cells


TABLES = {
    table.key: table
    for table in (
        Table(
            key="survey",
            model=UnitSurvey,
            form_class=UnitSurveyForm,
            title=_("驻区单位摸排登记表"),
            intro=_("驻区单位填写本单位基本情况和可向社区提供的资源。"),
            columns=(
                "unit_name",
                "credit_code",
                "kind",
                "address",
                "party_organisation",
                "secretary_name",
                "party_member_count",
                "contact_name",
                "contact_phone",
                "resources",
                "community",
                "submitted_at",
                "status",
            ),  # fmt: skip
        ),
        Table(
            key="checkin",
            model=UnitCheckIn,
            form_class=UnitCheckInForm,
            title=_("驻区单位党组织报到登记表"),
            intro=_("驻区单位党组织到社区报到，确定联络员，提出共建意向。"),
            columns=(
                "unit_name",
                "credit_code",
                "party_organisation",
                "org_type",
                "secretary_name",
                "party_member_count",
                "liaison_name",
                "liaison_phone",
                "intentions",
                "community",
                "submitted_at",
                "status",
            ),  # fmt: skip
        ),
        Table(
            key="member",
            model=MemberCheckIn,
            form_class=MemberCheckInForm,
            title=_("在职党员到社区报到登记表"),
            intro=_("在职党员到居住地社区报到（双报到），认领一个服务岗位。"),
            columns=(
                "name",
                "party_organisation",
                "workplace",
                "community",
                "service_post",
                "mobile",
                "home_address",
                "submitted_at",
                "status",
            ),  # fmt: skip
        ),
    )
}


def table_for_model(model):
    return next(table for table in TABLES.values() if table.model is model)
