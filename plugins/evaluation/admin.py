"""The modeladmin registries of evaluation records (wired up in wagtail_hooks.py)."""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList

from plugins.access.api import RecordAction, RecordAdmin

from . import record_actions as actions
from .forms import AnnualReportForm, MonthlyItemForm, RatingRoundForm, StreetWeightsForm
from .models import AnnualReport, Award, MonthlyItem, RatingRound, ScoreWeights


class ScopedAdmin(RecordAdmin):
    add_to_admin_menu = False


class AnnualReportAdmin(ScopedAdmin):
    model = AnnualReport
    menu_label = _("述职报告")
    list_export = ("title", "user", "committee", "year", "created_at")
    export_filename = _("述职报告")
    menu_icon = "doc-full"
    list_display = ("__str__", "user", "committee", "year", "created_at")
    list_filter = ("year",)
    search_fields = ("title", "user__username", "user__first_name", "user__last_name")
    edit_handler = ObjectList(AnnualReport.panels, base_form_class=AnnualReportForm)


class RatingRoundAdmin(ScopedAdmin):
    model = RatingRound
    menu_label = _("述职测评")
    record_actions = (
        RecordAction("results", _("投票链接与结果"), actions.round_links,
                     classname="button button-small"),
        RecordAction("close", _("关闭测评"), actions.round_close, button=False),
        RecordAction("letter", _("反馈函"), actions.round_letter, button=False),
    )  # fmt: skip
    action_select_related = ("report__user", "report__committee",
                             "report__appointment__source_unit")  # fmt: skip
    list_export = ("report", "closes_at", "state", "invited", "excellent", "competent", "basic",
                   "incompetent", "grade", "removal_flagged")  # fmt: skip
    export_filename = _("述职测评")
    menu_icon = "tasks"
    list_display = ("report", "closes_at", "state", "grade", "removal_flagged")
    list_filter = ("grade", "removal_flagged")
    edit_handler = ObjectList(
        [
            FieldPanel("report"),
            FieldPanel("closes_at"),
            InlinePanel("raters", heading=_("参评人员"), label=_("参评人"), min_num=1),
        ],
        base_form_class=RatingRoundForm,
    )

    def state(self, obj):
        return _("已结束") if obj.is_closed else _("投票中")

    state.short_description = _("状态")


class ScoreWeightsAdmin(ScopedAdmin):
    model = ScoreWeights
    menu_label = _("单位得分与排名")
    record_actions = (
        RecordAction("scores", _("得分与排名"), actions.scores, classname="button button-small"),
        RecordAction("xlsx", _("下载 Excel"), actions.scores_xlsx, permission="scores",
                     button=False),
    )  # fmt: skip
    action_select_related = ("street",)
    list_export = ("street", "year", "weights_summary", "ranking_published", "published_at")
    export_filename = _("单位得分与排名")
    menu_icon = "list-ol"
    list_display = ("street", "year", "weights_summary", "ranking_published")
    list_filter = ("year",)
    edit_handler = ObjectList(ScoreWeights.panels, base_form_class=StreetWeightsForm)

    def weights_summary(self, obj):
        return "，".join(f"{row.get_source_display()} {row.weight}" for row in obj.weights.all())

    weights_summary.short_description = _("权重")


class MonthlyItemAdmin(ScopedAdmin):
    model = MonthlyItem
    menu_label = _("月报表项目")
    list_export = ("label", "district", "kind", "unit", "help_text", "sort_order", "active")
    export_filename = _("月报表项目")
    menu_icon = "form"
    list_display = ("label", "district", "kind", "unit", "sort_order", "active")
    list_filter = ("active",)
    edit_handler = ObjectList(MonthlyItem.panels, base_form_class=MonthlyItemForm)


class AwardAdmin(ScopedAdmin):
    model = Award
    menu_label = _("评选表彰")
    list_export = ("display_title", "kind", "year", "awarded_by", "organisation", "person_name",
                   "note")  # fmt: skip
    export_filename = _("评选表彰")
    menu_icon = "pick"
    list_display = ("display_title", "kind", "year", "organisation", "person_name")
    list_filter = ("kind", "year")
    search_fields = ("title", "person_name")

    def display_title(self, obj):
        return format_html("{}", obj.display_title)

    display_title.short_description = _("荣誉名称")


ADMINS = [AnnualReportAdmin, RatingRoundAdmin, ScoreWeightsAdmin, MonthlyItemAdmin, AwardAdmin]
