"""Admin forms: choices narrowed to what the user may act on."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from gongjian_site.textinput import CleanTextFormMixin
from plugins.orgs.models import DistrictPage, OrganisationPage, StreetPage

from .grading import Grade
from .models.scores import ScoreWeightsForm
from .policies import limit_pages


def _policy(model):
    from plugins.access.api import record_policy

    return record_policy(model)


class AnnualReportForm(WagtailAdminModelForm):
    """A member reports for themselves on the committees they were appointed to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import AnnualReport

        user = self.for_user
        if (
            user is not None
            and not _policy(AnnualReport).user_has_model_permission(user, "add")
            and "user" in self.fields
        ):
            self.fields["user"].queryset = get_user_model().objects.filter(pk=user.pk)
            self.fields["user"].initial = user.pk
            self.fields["committee"].queryset = OrganisationPage.objects.filter(
                appointments__user=user
            ).distinct()


class RatingRoundForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import AnnualReport, RatingRound

        user = self.for_user
        policy = _policy(RatingRound)
        # The reports of the committees whose rounds the user may run.
        if (
            user is not None
            and "report" in self.fields
            and not policy.user_has_model_permission(user, "add")
        ):
            self.fields["report"].queryset = AnnualReport.objects.filter(
                committee__in=[
                    page.pk
                    for page in OrganisationPage.objects.filter(annual_reports__isnull=False)
                    .distinct()
                    .only("pk", "path")
                    if policy.user_has_permission_for_page(user, "add", page)
                ]
            )


class StreetWeightsForm(ScoreWeightsForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "street" in self.fields:
            from .models import ScoreWeights

            limit_pages(self.fields["street"], self.for_user, StreetPage.objects.all(),
                        _policy(ScoreWeights))  # fmt: skip


class MonthlyItemForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "district" in self.fields:
            from .models import MonthlyItem

            limit_pages(self.fields["district"], self.for_user, DistrictPage.objects.all(),
                        _policy(MonthlyItem))  # fmt: skip


class VoteForm(CleanTextFormMixin, forms.Form):
    """A rater's ballot (a public link): its comment is cleaned like every public form's."""

    grade = forms.ChoiceField(
        label=_("您的评价"),
        choices=Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择一项评价。"), "invalid_choice": _("请选择一项评价。")},
    )
    comment = forms.CharField(
        label=_("意见建议（选填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("月讲评"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


def monthly_form_class(items):
    """A form with one field per item of the district's monthly form."""
    from .models.monthly import MonthlyItemKind

    fields = {}
    for item in items:
        label = f"{item.label}（{item.unit}）" if item.unit else item.label
        if item.kind == MonthlyItemKind.NUMBER:
            fields[f"item_{item.pk}"] = forms.DecimalField(
                label=label,
                required=True,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                help_text=item.help_text,
                error_messages={
                    "required": _("请填写此项。"),
                    "invalid": _("请填写数字。"),
                    "min_value": _("不能为负数。"),
                },
            )
        else:
            fields[f"item_{item.pk}"] = forms.CharField(
                label=label,
                required=True,
                help_text=item.help_text,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": _("请填写此项。")},
            )
    return type("MonthlyForm", (forms.Form,), fields)
