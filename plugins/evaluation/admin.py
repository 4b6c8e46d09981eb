"""The modeladmin registries of evaluation records (wired up in wagtail_hooks.py)."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail_modeladmin.helpers import ButtonHelper

from plugins.access.records import RecordAdmin
from plugins.orgs.models import DistrictPage, StreetPage

from .forms import AnnualReportForm, MonthlyItemForm, RatingRoundForm, StreetWeightsForm
from .models import AnnualReport, Award, MonthlyItem, RatingRound, ScoreWeights
from .perms import PageScopedPermissionHelper, ReportPermissionHelper, is_manager


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
    permission_helper_class = ReportPermissionHelper
    edit_handler = ObjectList(AnnualReport.panels, base_form_class=AnnualReportForm)


class RoundPermissionHelper(PageScopedPermissionHelper):
    page_field = "report__committee"

    def user_can_edit_obj(self, user, obj):
        # A closed round's raters and deadline are part of its recorded result.
        return obj.closed_at is None and super().user_can_edit_obj(user, obj)

    def user_can_delete_obj(self, user, obj):
        return obj.closed_at is None and super().user_can_delete_obj(user, obj)


class RoundButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        buttons.insert(
            0,
            {
                "url": reverse("evaluation_admin:round", args=[obj.pk]),
                "label": _("投票链接与结果"),
                "classname": "button button-small",
                "title": _("投票链接与结果"),
            },
        )
        return buttons


class RatingRoundAdmin(ScopedAdmin):
    model = RatingRound
    menu_label = _("述职测评")
    list_export = ("report", "closes_at", "state", "invited", "excellent", "competent", "basic",
                   "incompetent", "grade", "removal_flagged")  # fmt: skip
    export_filename = _("述职测评")
    menu_icon = "tasks"
    list_display = ("report", "closes_at", "state", "grade", "removal_flagged")
    list_filter = ("grade", "removal_flagged")
    permission_helper_class = RoundPermissionHelper
    button_helper_class = RoundButtonHelper
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


class WeightsPermissionHelper(PageScopedPermissionHelper):
    page_field = "street"
    page_model = StreetPage


class WeightsButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        buttons.insert(
            0,
            {
                "url": reverse("evaluation_admin:scores", args=[obj.pk]),
                "label": _("得分与排名"),
                "classname": "button button-small",
                "title": _("得分与排名"),
            },
        )
        return buttons


class ScoreWeightsAdmin(ScopedAdmin):
    model = ScoreWeights
    menu_label = _("单位得分与排名")
    list_export = ("street", "year", "weights_summary", "ranking_published", "published_at")
    export_filename = _("单位得分与排名")
    menu_icon = "list-ol"
    list_display = ("street", "year", "weights_summary", "ranking_published")
    list_filter = ("year",)
    permission_helper_class = WeightsPermissionHelper
    button_helper_class = WeightsButtonHelper
    edit_handler = ObjectList(ScoreWeights.panels, base_form_class=StreetWeightsForm)

    def weights_summary(self, obj):
        return "，".join(f"{row.get_source_display()} {row.weight}" for row in obj.weights.all())

    weights_summary.short_description = _("权重")


class MonthlyItemPermissionHelper(PageScopedPermissionHelper):
    page_field = "district"
    page_model = DistrictPage


class MonthlyItemAdmin(ScopedAdmin):
    model = MonthlyItem
    menu_label = _("月报表项目")
    list_export = ("label", "district", "kind", "unit", "help_text", "sort_order", "active")
    export_filename = _("月报表项目")
    menu_icon = "form"
    list_display = ("label", "district", "kind", "unit", "sort_order", "active")
    list_filter = ("active",)
    permission_helper_class = MonthlyItemPermissionHelper
    edit_handler = ObjectList(MonthlyItem.panels, base_form_class=MonthlyItemForm)


class AwardPermissionHelper(PageScopedPermissionHelper):
    """Honours are decided by the district (managers); nobody else records them."""

    page_field = "organisation"

    def user_can_list(self, user):
        return is_manager(user)

    def user_can_view_obj(self, user, obj):
        # An honour is shown on its organisation's page: whoever edits that page sees it
        # there (and its history here), though only managers list and record honours.
        return is_manager(user) or self._owns(user, obj)

    def user_can_create(self, user):
        return is_manager(user)

    def user_can_edit_obj(self, user, obj):
        return is_manager(user)

    def user_can_delete_obj(self, user, obj):
        return is_manager(user)


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
    permission_helper_class = AwardPermissionHelper

    def display_title(self, obj):
        return format_html("{}", obj.display_title)

    display_title.short_description = _("荣誉名称")


ADMINS = [AnnualReportAdmin, RatingRoundAdmin, ScoreWeightsAdmin, MonthlyItemAdmin, AwardAdmin]
