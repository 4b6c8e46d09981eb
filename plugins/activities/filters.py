"""The activity index's filters: organisation, year, month, kind and participating unit.

A plain form rather than django-filter so that a wrong value in the address (a
year of "abc", a deleted kind) becomes a Chinese message and an unfiltered list,
never an error page.
"""

from urllib.parse import urlencode

from django import forms
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from gongjian_site.params import IdChoiceField
from plugins.orgs.models import OrganisationPage, ResidentUnitPage

from .models import ActivityKind, ActivityPage, activities_of

MONTHS = [("", _("全部月份"))] + [(str(m), f"{m}月") for m in range(1, 13)]


class ActivityFilterForm(forms.Form):
    # An organisation's own archive (linked from its page): its activities and those of
    # every organisation below it.
    organisation = IdChoiceField(
        label=_("组织"), required=False, queryset=OrganisationPage.objects.none(),
        empty_label=_("全部组织"),
    )  # fmt: skip
    year = forms.TypedChoiceField(label=_("年份"), required=False, coerce=int, empty_value=None)
    month = forms.TypedChoiceField(
        label=_("月份"), required=False, choices=MONTHS, coerce=int, empty_value=None
    )
    kind = IdChoiceField(
        label=_("活动类型"), required=False, queryset=ActivityKind.objects.all(),
        empty_label=_("全部类型"),
    )  # fmt: skip
    unit = IdChoiceField(
        label=_("参与单位"), required=False, queryset=ResidentUnitPage.objects.none(),
        empty_label=_("全部单位"),
    )  # fmt: skip


class ActivityFilter:
    """Validated filters over the activities of one organisation."""

    def __init__(self, data, organisation):
        self.organisation = organisation
        self.base = activities_of(organisation)
        self.form = ActivityFilterForm(data or None)
        years = (
            ActivityPage.objects.live().descendant_of(organisation)
            .annotate(year=ExtractYear("date")).values_list("year", flat=True)
            .distinct().order_by("-year")
        )  # fmt: skip
        self.form.fields["year"].choices = [("", _("全部年份"))] + [
            (str(y), f"{y}年") for y in years
        ]
        self.form.fields["unit"].queryset = ResidentUnitPage.objects.live().order_by("path")
        self.form.fields["organisation"].queryset = OrganisationPage.objects.live().descendant_of(
            organisation, inclusive=True
        )
        self.valid = self.form.is_valid() if data else True
        self.cleaned = self.form.cleaned_data if data and self.valid else {}

    @property
    def errors(self):
        """Chinese messages for the values that were ignored."""
        if self.valid:
            return []
        return [
            f"{self.form.fields[name].label}：{'，'.join(messages)}（已忽略）"
            for name, messages in self.form.errors.items()
        ]

    def queryset(self):
        queryset = self.base
        data = self.cleaned
        if not data and self.form.is_bound:
            # Keep whichever filters were valid when another one was not.
            data = {
                name: value
                for name, value in getattr(self.form, "cleaned_data", {}).items()
                if name not in self.form.errors
            }
        if data.get("organisation"):
            queryset = queryset.descendant_of(data["organisation"])
        if data.get("year"):
            queryset = queryset.filter(date__year=data["year"])
        if data.get("month"):
            queryset = queryset.filter(date__month=data["month"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("unit"):
            unit = data["unit"]
            queryset = queryset.filter(
                pk__in=ActivityPage.objects.filter(participating_units=unit).values("pk")
            ) | queryset.descendant_of(unit)
        return queryset

    def query_string(self):
        """The current filters as a query string, for the pagination links."""
        data = getattr(self.form, "cleaned_data", {}) or {}
        params = {}
        for name, value in data.items():
            if value in (None, "") or name in self.form.errors:
                continue
            params[name] = value.pk if hasattr(value, "pk") else value
        return urlencode(params)
