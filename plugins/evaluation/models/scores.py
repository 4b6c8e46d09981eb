"""Weights of the units' yearly co-building score, set by each street for each year,
and the ranking a street publishes (a snapshot, so later edits never change what
was published)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

TOTAL_WEIGHT = 100


def source_choices():
    from ..sources import registry

    return [(source.key, source.label) for source in registry.all()]


class ScoreWeightsForm(WagtailAdminModelForm):
    """Refuses weights that do not add up to 100, or a source named twice; nothing is saved."""

    def is_valid(self):
        # The rows are an inline formset, validated after the form's own clean().
        valid = super().is_valid()
        formset = self.formsets.get("weights")
        if not valid or formset is None:
            return valid
        rows = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        message = check_weights([(row["source"], row["weight"]) for row in rows])
        if message:
            self.add_error(None, message)
            return False
        return True


def check_weights(pairs):
    """A Chinese message for what is wrong with (source key, weight) pairs, or None."""
    keys = [key for key, _weight in pairs]
    if not pairs:
        return _("请至少设置一项计分来源及其权重。")
    if len(set(keys)) != len(keys):
        return _("同一计分来源只能设置一次。")
    total = sum(weight for _key, weight in pairs)
    if total != TOTAL_WEIGHT:
        return _("各项权重之和必须等于 100，当前为 %(total)s。") % {"total": total}
    return None


class ScoreWeights(ClusterableModel):
    """A street's weights for one year (街道设定的年度计分权重)."""

    street = models.ForeignKey(
        "orgs.StreetPage",
        verbose_name=_("街道"),
        on_delete=models.CASCADE,
        related_name="score_weights",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    ranking_published = models.BooleanField(_("已公开排名"), default=False, editable=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, editable=False)

    base_form_class = ScoreWeightsForm
    panels = [
        FieldPanel("street"),
        FieldPanel("year"),
        InlinePanel(
            "weights", heading=_("计分来源与权重（合计 100）"), label=_("计分项"), min_num=1
        ),
    ]

    class Meta:
        verbose_name = _("年度计分权重")
        verbose_name_plural = _("年度计分权重")
        ordering = ["-year", "street__path"]
        constraints = [
            models.UniqueConstraint(fields=["street", "year"], name="evaluation_weights_once")
        ]

    def __str__(self):
        return f"{self.street.title} {self.year}年度计分权重"

    def clean(self):
        if self.year and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": _("请填写正确的年度，如 2025。")})
        if self.street_id and self.year:
            taken = ScoreWeights.objects.filter(street_id=self.street_id, year=self.year)
            if taken.exclude(pk=self.pk).exists():
                raise ValidationError({"year": _("该街道本年度的权重已设置，请直接修改。")})

    def as_dict(self):
        return {row.source: row.weight for row in self.weights.all()}


class ScoreWeight(Orderable):
    weights = ParentalKey(ScoreWeights, on_delete=models.CASCADE, related_name="weights")
    source = models.CharField(_("计分来源"), max_length=40, choices=source_choices)
    weight = models.PositiveSmallIntegerField(_("权重"))

    panels = [FieldPanel("source"), FieldPanel("weight")]

    class Meta(Orderable.Meta):
        verbose_name = _("计分项")
        verbose_name_plural = _("计分项")


class PublishedScore(models.Model):
    """One unit's line of a published ranking."""

    weights = models.ForeignKey(ScoreWeights, on_delete=models.CASCADE, related_name="published")
    unit = models.ForeignKey(
        "orgs.ResidentUnitPage",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="published_scores",
    )
    rank = models.PositiveIntegerField(_("名次"))
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2)
    breakdown = models.JSONField(_("得分明细"), default=list)

    class Meta:
        verbose_name = _("公开排名")
        verbose_name_plural = _("公开排名")
        ordering = ["rank", "pk"]

    def __str__(self):
        return f"{self.rank}. {self.unit.title} {self.total}"
