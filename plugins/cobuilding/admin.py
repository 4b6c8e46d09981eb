"""The 共建清单 menu: one modeladmin list per record type; each asks its model's
policy (policies.py) in every view, and carries the model's own actions."""

from django import forms
from django.contrib.admin import SimpleListFilter
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail_modeladmin.options import ModelAdminGroup

from gongjian_site import clock
from gongjian_site.params import parse_id
from plugins.access.api import RecordAction, RecordAdmin

from . import record_actions as actions
from .forms import AgreementForm, ScopedRecordForm
from .models import (
    Agreement,
    Claim,
    ClaimStatus,
    Commitment,
    Fulfilment,
    Need,
    NeedStatus,
    Project,
    Resource,
    ResourceStatus,
)

SELECT = forms.Select


def _status_in(*statuses):
    return lambda obj: obj.status in statuses


class RenewalFilter(SimpleListFilter):
    title = _("续签")
    parameter_name = "renewal"

    def lookups(self, request, model_admin):
        return [("due", _("需续签（已到提醒期）")), ("valid", _("有效期内"))]

    def queryset(self, request, queryset):
        today = clock.today()
        due = [a.pk for a in queryset.exclude(valid_until=None) if a.needs_renewal(today)]
        if self.value() == "due":
            return queryset.filter(pk__in=due)
        if self.value() == "valid":
            return queryset.filter(valid_until__gte=today).exclude(pk__in=due)
        return queryset


class CommunityFilter(SimpleListFilter):
    """Only the communities of the records the user may see (Django's related filter
    would list every community and needs django.contrib.admin's site)."""

    title = _("社区")
    parameter_name = "community"
    lookup = "community"

    def lookups(self, request, model_admin):
        from plugins.orgs.models import CommunityPage

        ids = model_admin.get_queryset(request).values(self.lookup)
        return [(str(c.pk), c.title) for c in CommunityPage.objects.filter(pk__in=ids)
                .order_by("path").only("title")]  # fmt: skip

    def queryset(self, request, queryset):
        community_id = parse_id(self.value())
        if community_id:
            return queryset.filter(**{self.lookup: community_id})
        return queryset


class CommitmentCommunityFilter(CommunityFilter):
    lookup = "commitment__community"


COMMUNITY_FILTER = CommunityFilter


class ScoredFilter(SimpleListFilter):
    title = _("评诺")
    parameter_name = "scored"

    def lookups(self, request, model_admin):
        return [("yes", _("已评诺")), ("no", _("未评诺"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(score__isnull=self.value() == "no")
        return queryset


class ScopedModelAdmin(RecordAdmin):
    inspect_view_enabled = True
    add_to_settings_menu = False
    list_select_related = ("community",)
    list_per_page = 50


class NeedAdmin(ScopedModelAdmin):
    model = Need
    menu_label = _("需求清单")
    # Not the contact phone: unit people list every community's moderated needs.
    list_export = ("title", "community", "year", "category", "description", "raised_by",
                   "raised_on", "source", "status", "moderation_note")  # fmt: skip
    export_filename = _("需求清单")
    index_template_name = "gongjian/admin/ledger_list.html"  # 从Excel导入
    menu_icon = "help"
    record_actions = (
        RecordAction("moderate", _("审核"), actions.moderate_need, classname="button button-small",
                     available=_status_in(NeedStatus.PENDING)),
        RecordAction("claim", _("认领"), actions.claim_need,
                     available=_status_in(NeedStatus.OPEN, NeedStatus.CLAIMED)),
    )  # fmt: skip
    list_display = ("title", "community", "year", "category", "raised_by", "raised_on", "status")
    list_filter = (COMMUNITY_FILTER, "year", "status", "category", "source")
    search_fields = ("title", "description", "raised_by")
    inspect_view_fields = ("title", "community", "year", "category", "description", "raised_by",
                           "raised_on", "source", "status", "moderation_note")  # fmt: skip
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("community", widget=SELECT), FieldPanel("year")]),
        FieldPanel("title"), FieldPanel("category"), FieldPanel("description"),
        FieldRowPanel([FieldPanel("raised_by"), FieldPanel("raised_on")]),
        FieldRowPanel([FieldPanel("status"), FieldPanel("source")]),
        FieldPanel("contact_phone"), FieldPanel("moderation_note"),
    ], base_form_class=ScopedRecordForm)  # fmt: skip


class ResourceAdmin(ScopedModelAdmin):
    model = Resource
    menu_label = _("资源清单")
    list_export = ("title", "unit", "community", "year", "category", "description", "capacity",
                   "frequency", "status")  # fmt: skip
    export_filename = _("资源清单")
    index_template_name = "gongjian/admin/ledger_list.html"  # 从Excel导入
    menu_icon = "pick"
    record_actions = (
        RecordAction("claim", _("社区认领"), actions.claim_resource,
                     available=lambda obj: obj.status != ResourceStatus.WITHDRAWN),
    )  # fmt: skip
    action_select_related = ("community", "unit")
    list_display = ("title", "unit", "community", "year", "category", "capacity", "frequency",
                    "status")  # fmt: skip
    list_select_related = ("community", "unit")
    list_filter = (COMMUNITY_FILTER, "year", "status", "category")
    search_fields = ("title", "description")
    inspect_view_fields = ("title", "unit", "community", "year", "category", "description",
                           "capacity", "frequency", "status")  # fmt: skip
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("community", widget=SELECT), FieldPanel("year")]),
        FieldPanel("unit", widget=SELECT), FieldPanel("title"), FieldPanel("category"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("frequency")]), FieldPanel("status"),
    ], base_form_class=ScopedRecordForm)  # fmt: skip


class ClaimAdmin(ScopedModelAdmin):
    model = Claim
    menu_label = _("双向认领")
    list_export = ("kind", "community", "year", "unit", "need", "resource", "plan", "status",
                   "claimed_by", "claimed_at", "decided_by", "decided_at", "decline_reason",
                   "project")  # fmt: skip
    export_filename = _("双向认领")
    menu_icon = "resubmit"
    record_actions = (
        RecordAction("decide", _("接受/婉拒"), actions.decide_claim,
                     classname="button button-small", available=_status_in(ClaimStatus.PENDING)),
    )  # fmt: skip
    action_select_related = ("need", "resource", "unit", "community")
    list_display = ("__str__", "kind", "community", "year", "claimed_at", "status", "project")
    list_select_related = ("community", "unit", "need", "resource", "project")
    list_filter = (COMMUNITY_FILTER, "year", "status", "kind")
    search_fields = ("plan", "need__title", "resource__title", "unit__title")
    inspect_view_fields = ("kind", "community", "year", "unit", "need", "resource", "plan",
                           "status", "claimed_by", "claimed_at", "decided_by", "decided_at",
                           "decline_reason", "project")  # fmt: skip


class ProjectAdmin(ScopedModelAdmin):
    model = Project
    menu_label = _("项目清单")
    list_export = ("title", "community", "year", "unit", "needs", "resources", "description",
                   "target_date", "progress", "status", "completed_on")  # fmt: skip
    export_filename = _("项目清单")
    menu_icon = "tasks"
    record_actions = (RecordAction("progress", _("进展"), actions.project_progress),)
    action_select_related = ("unit", "community")
    list_display = ("title", "unit", "community", "year", "target_date", "progress_label",
                    "status")  # fmt: skip
    list_select_related = ("community", "unit")
    list_filter = (COMMUNITY_FILTER, "year", "status")
    search_fields = ("title", "description")
    inspect_view_fields = (
        "title",
        "community",
        "year",
        "unit",
        "needs",
        "resources",
        "description",
        "target_date",
        "progress",
        "status",
        "completed_on",
    )
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("community", widget=SELECT), FieldPanel("year")]),
        FieldPanel("title"), FieldPanel("unit", widget=SELECT), FieldPanel("description"),
        FieldPanel("needs", widget=forms.CheckboxSelectMultiple),
        FieldPanel("resources", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("target_date"), FieldPanel("status")]),
    ], base_form_class=ScopedRecordForm)  # fmt: skip

    def progress_label(self, obj):
        return f"{obj.progress}%"

    progress_label.short_description = _("进度")


class AgreementAdmin(ScopedModelAdmin):
    model = Agreement
    menu_label = _("共驻共建协议书")
    list_export = ("title", "community", "unit", "year", "signed_on", "valid_from", "valid_until",
                   "renewal", "community_representative", "unit_representative",
                   "community_liaison", "unit_liaison")  # fmt: skip
    export_filename = _("共驻共建协议书")
    menu_icon = "doc-full"
    record_actions = (RecordAction("docx", _("导出 Word"), actions.export_agreement),)
    action_select_related = ("community", "unit")
    list_display = ("__str__", "year", "signed_on", "valid_until", "renewal")
    list_select_related = ("community", "unit")
    list_filter = (COMMUNITY_FILTER, "year", RenewalFilter)
    search_fields = ("title", "unit__title", "community__title")
    inspect_view_fields = ("title", "community", "unit", "year", "community_representative",
                           "unit_representative", "community_liaison", "unit_liaison",
                           "signed_on", "valid_from", "valid_until", "clauses")  # fmt: skip
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("community", widget=SELECT), FieldPanel("unit", widget=SELECT),
                       FieldPanel("year")]),
        FieldPanel("title"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("community_party_organisation"),
                           FieldPanel("unit_party_organisation")]),
            FieldRowPanel([FieldPanel("community_representative"),
                           FieldPanel("unit_representative")]),
            FieldRowPanel([FieldPanel("community_liaison"), FieldPanel("unit_liaison")]),
        ], heading=_("双方")),
        FieldPanel("preamble"), FieldPanel("clauses"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("signed_on"), FieldPanel("valid_from"),
                           FieldPanel("valid_until")]),
            FieldPanel("renewal_reminder_days"),
        ], heading=_("签订与有效期")),
    ], base_form_class=AgreementForm)  # fmt: skip

    def renewal(self, obj):
        if obj.needs_renewal():
            return _("需续签（%(d)s 到期）") % {"d": obj.valid_until.isoformat()}
        return ""

    renewal.short_description = _("续签提醒")


class CommitmentAdmin(ScopedModelAdmin):
    model = Commitment
    menu_label = _("承诺")
    list_export = ("content", "unit", "community", "party", "year", "due_on", "is_public",
                   "fulfilment_count", "score", "score_comment", "scored_on")  # fmt: skip
    export_filename = _("承诺")
    menu_icon = "success"
    record_actions = (RecordAction("score", _("评诺"), actions.score_commitment),)
    action_select_related = ("agreement",)
    list_display = ("content", "unit", "party", "year", "due_on", "get_is_public_display",
                    "fulfilment_count", "score")  # fmt: skip
    list_select_related = ("community", "unit")
    list_filter = (COMMUNITY_FILTER, "year", ScoredFilter, "party", "is_public")
    search_fields = ("content", "unit__title")
    inspect_view_fields = ("agreement", "unit", "party", "content", "due_on", "is_public",
                           "score", "score_comment", "scored_on")  # fmt: skip
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("agreement", widget=SELECT), FieldPanel("year")]),
        FieldPanel("party"), FieldPanel("content"),
        FieldRowPanel([FieldPanel("due_on"), FieldPanel("is_public")]),
    ], base_form_class=ScopedRecordForm)  # fmt: skip

    def fulfilment_count(self, obj):
        return obj.fulfilment_total

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(fulfilment_total=Count("fulfilments"))

    fulfilment_count.short_description = _("履诺记录")


class FulfilmentAdmin(ScopedModelAdmin):
    model = Fulfilment
    menu_label = _("履诺记录")
    list_export = ("date", "description", "commitment", "evidence", "evidence_note")
    export_filename = _("履诺记录")
    menu_icon = "date"
    list_display = ("date", "description", "commitment", "evidence")
    list_select_related = ("commitment__community", "evidence")
    list_filter = (CommitmentCommunityFilter, "commitment__year")
    search_fields = ("description", "commitment__content")
    inspect_view_fields = ("commitment", "date", "description", "evidence", "evidence_note")
    edit_handler = ObjectList([
        FieldPanel("commitment", widget=SELECT), FieldPanel("date"), FieldPanel("description"),
        FieldPanel("evidence"), FieldPanel("evidence_note"),
    ], base_form_class=ScopedRecordForm)  # fmt: skip


class CobuildingGroup(ModelAdminGroup):
    menu_label = _("共建清单")
    menu_icon = "list-ul"
    menu_order = 250
    items = (NeedAdmin, ResourceAdmin, ClaimAdmin, ProjectAdmin, AgreementAdmin, CommitmentAdmin,
             FulfilmentAdmin)  # fmt: skip


ADMINS = {admin.model: admin for admin in CobuildingGroup.items}
