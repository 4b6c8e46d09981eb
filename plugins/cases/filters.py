"""The case index's filters: year, street (or any organisation under the district),
tag and 推荐入汇编. Wrong values are ignored with a Chinese message, never a 500."""

from urllib.parse import urlencode

from django import forms
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from gongjian_site.params import IdChoiceField
from plugins.orgs.models import OrganisationPage

from .models import CasePage, cases_of


class CaseFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年份"), required=False, coerce=int, empty_value=None)
    organisation = IdChoiceField(
        label=_("组织"), required=False, queryset=OrganisationPage.objects.none(),
        empty_label=_("全部组织"),
    )  # fmt: skip
    tag = forms.CharField(label=_("标签"), required=False, max_length=100)
    recommended = forms.BooleanField(label=_("只看推荐入汇编"), required=False)


class CaseFilter:
    def __init__(self, data, district):
        self.district = district
        self.form = CaseFilterForm(data or None)
        years = (
            CasePage.objects.live().descendant_of(district)
            .annotate(year=ExtractYear("date")).values_list("year", flat=True)
            .distinct().order_by("-year")
        )  # fmt: skip
        self.form.fields["year"].choices = [("", _("全部年份"))] + [
            (str(y), f"{y}年") for y in years
        ]
        self.form.fields["organisation"].queryset = (
            OrganisationPage.objects.live().descendant_of(district).order_by("path")
        )
        if self.form.is_bound:
            self.form.is_valid()

    @property
    def errors(self):
        return [
            f"{self.form.fields[name].label}：{'，'.join(messages)}（已忽略）"
            for name, messages in self.form.errors.items()
        ]

    def _data(self):
        data = getattr(self.form, "cleaned_data", {}) or {}
        return {k: v for k, v in data.items() if k not in self.form.errors and v not in (None, "")}

    def queryset(self):
        queryset = cases_of(self.district)
        data = self._data()
        if data.get("year"):
            queryset = queryset.filter(date__year=data["year"])
        if data.get("organisation"):
            org = data["organisation"]
            queryset = queryset.filter(
                pk__in=CasePage.objects.filter(organisations=org).values("pk")
            ) | queryset.descendant_of(org)
        if data.get("tag"):
            queryset = queryset.filter(
                pk__in=CasePage.objects.filter(tags__name=data["tag"]).values("pk")
            )
        if data.get("recommended"):
            queryset = queryset.filter(recommended=True)
        return queryset

    def query_string(self):
        params = {}
        for name, value in self._data().items():
            if value is False:
                continue
            params[name] = value.pk if hasattr(value, "pk") else ("1" if value is True else value)
        return urlencode(params)
