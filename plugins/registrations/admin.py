"""Moderation in the admin: one list per table under the menu group 报到登记.

Who sees what is each model's record policy (policies.py): every view here, the
export and the change requests ask it. Holders of the model permissions (superusers,
a registrations manager group) act on every record; anyone else on the records of
the communities and units whose pages they may edit, so a community's reviewer
moderates the community's registrations and a part-time member or liaison sees and
corrects only their own units' ones. Another record by URL: modeladmin's
permission-denied redirect. Only those who may publish on the community page (its
reviewers) or hold the model permission change the moderation state.
"""

from django.contrib.admin import filters as admin_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail_modeladmin.options import ModelAdminGroup

from gongjian_site.modeladmin import SafeIndexView
from gongjian_site.params import parse_id
from plugins.access.api import RecordAdmin, record_policy
from plugins.orgs.models import CommunityPage

from .export import table_workbook
from .models import ChangeStatus, MemberCheckIn, UnitCheckIn, UnitSurvey
from .tables import TABLES, table_for_model


class RegistrationForm(WagtailAdminModelForm):
    """The admin form: the moderation fields are read-only for non-moderators."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        policy = record_policy(self._meta.model)
        if for_user is not None and not policy.user_has_permission_for_instance(
            for_user, "moderate", self.instance
        ):
            # Members correct their unit's data; where it belongs and whether it is
            # approved is the community's decision.
            for name in ("status", "moderation_note", "community", "unit"):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("由社区审核人员填写")


class CommunityFilter(admin_filters.SimpleListFilter):
    """By community (a FK filter would need django.contrib.admin, which is not installed)."""

    title = _("报到社区")
    parameter_name = "community"

    def lookups(self, request, model_admin):
        ids = model_admin.get_queryset(request).order_by().values("community_id")
        return list(
            CommunityPage.objects.filter(pk__in=ids).order_by("path").values_list("pk", "title")
        )

    def queryset(self, request, queryset):
        return filter_by_community(queryset, self.value())


def filter_by_community(queryset, value):
    community_id = parse_id(value)
    if community_id:
        return queryset.filter(community_id=community_id)
    return queryset


class RegistrationIndexView(SafeIndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table = table_for_model(self.model)
        query = self.request.GET.urlencode()
        url = reverse("registrations_export", args=[table.key])
        context["export_url"] = f"{url}?{query}" if query else url
        return context


MODERATION_PANEL = MultiFieldPanel(
    [FieldPanel("status"), FieldPanel("moderation_note")], heading=_("审核")
)


class RegistrationAdmin(RecordAdmin):
    menu_icon = "form"
    index_view_class = RegistrationIndexView
    index_template_name = "registrations/admin/index.html"
    inspect_view_enabled = True
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("community")

    def status_label(self, obj):
        return obj.get_status_display()

    status_label.short_description = _("审核状态")
    status_label.admin_order_field = "status"


class UnitRegistrationAdmin(RegistrationAdmin):
    """A unit table: its list counts each record's pending change requests."""

    def get_queryset(self, request):
        pending = Q(change_requests__status=ChangeStatus.PENDING)
        return (
            super()
            .get_queryset(request)
            .select_related("unit")
            .annotate(pending_change_count=Count("change_requests", filter=pending))
        )

    def pending_changes(self, obj):
        count = getattr(obj, "pending_change_count", 0)
        if not count:
            return "—"
        return format_html('<a href="{}">{} 条待核对</a>', reverse("registrations_changes"), count)

    pending_changes.short_description = _("变更申请")


class UnitSurveyAdmin(UnitRegistrationAdmin):
    model = UnitSurvey
    menu_label = _("驻区单位摸排")
    menu_order = 100
    list_display = ("unit_name", "credit_code", "kind", "community", "unit", "submitted_at",
                    "submission_count", "status_label", "pending_changes")  # fmt: skip
    list_filter = ("status", "kind", CommunityFilter)
    search_fields = ("unit_name", "credit_code", "party_organisation", "secretary_name")
    edit_handler = ObjectList([
        MultiFieldPanel([FieldPanel("unit_name"), FieldPanel("credit_code"), FieldPanel("kind"),
                         FieldPanel("address")], heading=_("单位")),
        MultiFieldPanel([FieldPanel("party_organisation"), FieldPanel("secretary_name"),
                         FieldPanel("party_member_count")], heading=_("党组织")),
        MultiFieldPanel([FieldPanel("contact_name"), FieldPanel("contact_phone"),
                         FieldPanel("resources")], heading=_("联系与资源")),
        MultiFieldPanel([FieldPanel("community"), FieldPanel("unit")], heading=_("归属")),
        MODERATION_PANEL,
    ], base_form_class=RegistrationForm)  # fmt: skip


class UnitCheckInAdmin(UnitRegistrationAdmin):
    model = UnitCheckIn
    menu_label = _("单位党组织报到")
    menu_order = 200
    list_display = ("unit_name", "credit_code", "org_type", "community", "unit", "submitted_at",
                    "submission_count", "status_label", "pending_changes")  # fmt: skip
    list_filter = ("status", "org_type", CommunityFilter)
    search_fields = ("unit_name", "credit_code", "party_organisation", "liaison_name")
    edit_handler = ObjectList([
        MultiFieldPanel([FieldPanel("unit_name"), FieldPanel("credit_code"),
                         FieldPanel("party_organisation"), FieldPanel("org_type"),
                         FieldPanel("secretary_name"), FieldPanel("party_member_count")],
                        heading=_("单位党组织")),
        MultiFieldPanel([FieldPanel("liaison_name"), FieldPanel("liaison_phone"),
                         FieldPanel("intentions")], heading=_("联络与共建意向")),
        MultiFieldPanel([FieldPanel("community"), FieldPanel("unit")], heading=_("归属")),
        MODERATION_PANEL,
    ], base_form_class=RegistrationForm)  # fmt: skip


class MemberCheckInAdmin(RegistrationAdmin):
    model = MemberCheckIn
    menu_label = _("在职党员报到")
    menu_order = 300
    list_display = ("name", "party_organisation", "workplace", "service_post", "community",
                    "submitted_at", "status_label")  # fmt: skip
    list_filter = ("status", "service_post", CommunityFilter)
    search_fields = ("name", "party_organisation", "workplace")
    edit_handler = ObjectList([
        MultiFieldPanel([FieldPanel("name"), FieldPanel("party_organisation"),
                         FieldPanel("workplace"), FieldPanel("service_post")],
                        heading=_("党员")),
        MultiFieldPanel([FieldPanel("mobile"), FieldPanel("home_address")],
                        heading=_("联系方式（不公开）")),
        FieldPanel("community"),
        MODERATION_PANEL,
    ], base_form_class=RegistrationForm)  # fmt: skip


class ChangeRequestsMenuItem(MenuItem):
    """变更申请: shown to those the unit tables' policies let see some record (the list
    says which requests are theirs). The policies read the user's organisation scope
    once per request, for every record menu item together."""

    def is_shown(self, request):
        from .models import UnitCheckIn, UnitSurvey

        return any(
            record_policy(model).user_has_permission(request.user, "view")
            for model in (UnitSurvey, UnitCheckIn)
        )


class RegistrationsGroup(ModelAdminGroup):
    menu_label = _("报到登记")
    menu_icon = "form"
    menu_order = 320
    items = (UnitSurveyAdmin, UnitCheckInAdmin, MemberCheckInAdmin)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(ChangeRequestsMenuItem(
            _("变更申请"), reverse_lazy("registrations_changes"), icon_name="resubmit",
            order=len(items) + 1,
        ))  # fmt: skip
        return items


ADMINS = {"survey": UnitSurveyAdmin, "checkin": UnitCheckInAdmin, "member": MemberCheckInAdmin}


def export_table(request, table_key):
    """The table as .xlsx: the records this user may see, narrowed by the list's filters."""
    table = TABLES.get(table_key)
    if table is None:
        raise Http404
    policy = record_policy(table.model)
    if not policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    records = policy.filter_instances(
        request.user, ["view"],
        table.model.objects.select_related("community").order_by("submitted_at"),
    )  # fmt: skip
    # The list's filters, passed on by its 导出 Excel button.
    for name in ("status", "kind", "org_type", "service_post"):
        value = request.GET.get(f"{name}__exact")
        if value and name in table.columns:
            records = records.filter(**{name: value})
    records = filter_by_community(records, request.GET.get("community"))
    content = table_workbook(table, records)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"{table.title}-{stamp}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
