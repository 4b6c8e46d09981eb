"""Admin views: the 共享 (Sharing) view, 我的单位, and the appointment admin."""

from django import forms
from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.models import Page
from wagtail.permissions import policy_registry

from gongjian_site import clock

from .forms import AppointmentForm, GrantRoleForm, RemovalForm, RenewalForm
from .grants import grant_role, holdings, revoke_role
from .models import Appointment, AppointmentStatus
from .record_admin import RecordAction, RecordAdmin
from .roles import CODENAME_LABELS, REVIEWER, ROLES

# --- Who may share --------------------------------------------------------------


def can_manage_sharing(user, page):
    """Superusers, and Reviewers of this page or of an ancestor (their grant covers it)."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    policy = policy_registry.get_by_type(Page)
    held = {}
    for perm in policy.get_cached_permissions_for_user(user):
        if getattr(perm, "source", None) == "local" and page.path.startswith(perm.page.path):
            held.setdefault(perm.page.pk, set()).add(perm.permission.codename)
    return any(REVIEWER.codenames <= codenames for codenames in held.values())


# --- 共享 Sharing -----------------------------------------------------------------


def sharing(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific_deferred
    if not can_manage_sharing(request.user, page):
        raise PermissionDenied
    form = GrantRoleForm(request.POST or None)
    if request.method == "POST":
        if "revoke" in request.POST:
            return _revoke(request, page)
        if form.is_valid():
            grant_role(page, form.cleaned_data["username"], form.cleaned_data["role"],
                       by=request.user)  # fmt: skip
            messages.success(
                request,
                _("已授予 %(user)s “%(role)s”角色。")
                % {
                    "user": form.cleaned_data["username"],
                    "role": ROLES[form.cleaned_data["role"]].label,
                },
            )
            return redirect("access:sharing", page.pk)
    return TemplateResponse(
        request,
        "access/sharing.html",
        {"page": page, "form": form, "holdings": holdings(page), "roles": ROLES.values()},
        status=400 if form.errors else 200,
    )


def _revoke(request, page):
    from django.contrib.auth import get_user_model

    user = get_user_model()._default_manager.filter(pk=request.POST.get("user")).first()
    role = request.POST.get("role")
    if user is None or role not in ROLES:
        messages.error(request, _("要撤销的授权不存在。"))
    elif revoke_role(page, user, role, by=request.user):
        messages.success(
            request,
            _("已撤销 %(user)s 的“%(role)s”角色。") % {"user": user, "role": ROLES[role].label},
        )
    else:
        messages.error(request, _("该角色不是在本页授予的，请到授予它的上级页面撤销。"))
    return redirect("access:sharing", page.pk)


# --- 双重管理: who serves where -------------------------------------------------


def page_people(request, page_id):
    """A committee's part-time members in term, and a unit's people serving on committees."""
    from plugins.orgs.models import OrganisationPage

    page = get_object_or_404(OrganisationPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    today = clock.today()
    appointments = Appointment.objects.in_term(today).select_related(
        "user", "committee", "source_unit"
    )
    return TemplateResponse(
        request,
        "access/page_people.html",
        {
            "page": page,
            "members": appointments.filter(committee=page),
            "serving": appointments.filter(source_unit=page),
        },
    )


# --- 我的单位 -------------------------------------------------------------------


def my_units(request):
    """The user's appointments and, page by page, exactly what they may edit."""
    user = request.user
    policy = policy_registry.get_by_type(Page)
    grants = {}
    for perm in policy.get_cached_permissions_for_user(user):
        entry = grants.setdefault(perm.page.pk, {"page": perm.page, "codenames": set(),
                                                  "sources": set()})  # fmt: skip
        entry["codenames"].add(perm.permission.codename)
        entry["sources"].add(getattr(perm, "source", "group"))
    for entry in grants.values():
        entry["labels"] = [str(CODENAME_LABELS.get(c, c)) for c in sorted(entry["codenames"])]
    editable = policy.instances_user_has_any_permission_for(user, {"change"})
    editable_pages = [] if user.is_superuser else list(editable.order_by("path")[:200])
    appointments = (
        Appointment.objects.filter(user=user)
        .select_related("committee", "source_unit")
        .prefetch_related("assigned_units")
    )
    return TemplateResponse(
        request,
        "access/my_units.html",
        {
            "appointments": appointments,
            "grants": sorted(grants.values(), key=lambda g: g["page"].path),
            "editable_pages": editable_pages,
            "today": clock.today(),
        },
    )


# --- Appointments: removal and renewal (actions of the appointment admin) ------------


def remove_appointment(request, appointment, model_admin):
    """免职: the policy has allowed ``remove`` on ``appointment`` (see RecordAdmin)."""
    if appointment.status == AppointmentStatus.REMOVED:
        messages.error(request, _("该任职已免职。"))
        return redirect(model_admin.url_helper.index_url)
    form = RemovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            appointment.remove(
                reason=form.cleaned_data["reason"],
                decided_on=form.cleaned_data["decided_on"],
                filing_reference=form.cleaned_data["filing_reference"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        messages.success(request, _("已免职：%(a)s") % {"a": appointment})
        return redirect(model_admin.url_helper.index_url)
    return TemplateResponse(
        request,
        "access/appointment_action.html",
        {"appointment": appointment, "form": form, "title": _("免职")},
        status=400 if form.errors else 200,
    )


def renew_appointment(request, appointment, model_admin):
    form = RenewalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if appointment.status == AppointmentStatus.REMOVED:
            form.add_error(None, _("已免职的任职不能续任，请新建任职。"))
        else:
            appointment.renew(years=form.cleaned_data["years"], by=request.user)
            messages.success(
                request, _("已续任至 %(end)s。") % {"end": appointment.end_date.isoformat()}
            )
            return redirect(model_admin.url_helper.index_url)
    return TemplateResponse(
        request,
        "access/appointment_action.html",
        {"appointment": appointment, "form": form, "title": _("续任")},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("pages/<int:page_id>/sharing/", sharing, name="sharing"),
    path("pages/<int:page_id>/people/", page_people, name="page_people"),
    path("my-units/", my_units, name="my_units"),
]


# --- The modeladmin ---------------------------------------------------------------


class TermFilter(SimpleListFilter):
    title = _("任期")
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [
            ("in_term", _("在任")),
            ("ending", _("90天内届满")),
            ("ended", _("任期届满")),
            ("removed", _("已免职")),
        ]

    def queryset(self, request, queryset):
        today = clock.today()
        match self.value():
            case "in_term":
                return queryset.in_term(today)
            case "ending":
                return queryset.ending_within(90, today)
            case "ended":
                return queryset.ended(today)
            case "removed":
                return queryset.removed()
        return queryset


class AppointmentAdmin(RecordAdmin):
    model = Appointment
    menu_label = _("兼职委员任职")
    list_export = ("user", "role", "committee", "source_unit", "division_of_work",
                   "assigned_units", "start_date", "end_date", "state", "removal_reason",
                   "removal_decided_on", "filing_reference")  # fmt: skip
    export_filename = _("兼职委员任职")
    menu_icon = "group"
    menu_order = 300
    add_to_settings_menu = False
    list_display = ("user", "role", "committee", "source_unit", "start_date", "end_date",
                    "state")  # fmt: skip
    list_filter = (TermFilter, "role")
    search_fields = ("user__username", "user__first_name", "user__last_name", "division_of_work")
    record_actions = (
        RecordAction("renew", _("续任"), renew_appointment),
        RecordAction("remove", _("免职"), remove_appointment, classname="button button-small no",
                     available=lambda obj: obj.status != AppointmentStatus.REMOVED),
    )  # fmt: skip
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            MultiFieldPanel(
                [FieldPanel("committee"), FieldPanel("source_unit"), FieldPanel("role")],
                heading=_("任职"),
            ),
            FieldPanel("division_of_work"),
            FieldPanel("assigned_units", widget=forms.CheckboxSelectMultiple),
            MultiFieldPanel(
                [FieldPanel("start_date"), FieldPanel("end_date")], heading=_("任期")
            ),  # fmt: skip
        ],
        base_form_class=AppointmentForm,
    )

    def state(self, obj):
        return obj.state_label()

    state.short_description = _("状态")

    inspect_view_enabled = True
    inspect_view_fields = ("user", "committee", "source_unit", "role", "division_of_work",
                           "start_date", "end_date", "status", "removal_reason",
                           "removal_note", "removal_decided_on", "filing_reference")  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "committee", "source_unit")


# --- Readers see private pages ------------------------------------------------------


def serve_private_pages_to_readers(callback):
    """``on_serve_page`` wrapper: a Reader passes login/group restrictions (not passwords).

    Registered ahead of Wagtail's own restriction check, which it then skips for them."""
    from django.utils.cache import add_never_cache_headers
    from wagtail.models import PageViewRestriction

    from .grants import holds_reader

    def inner(page, request, serve_args, serve_kwargs):
        restrictions = page.get_view_restrictions()
        bypassable = {PageViewRestriction.LOGIN, PageViewRestriction.GROUPS}
        if (
            restrictions
            and all(r.restriction_type in bypassable for r in restrictions)
            and not all(r.accept_request(request) for r in restrictions)
            and holds_reader(request.user, page)
        ):
            response = page.serve(request, *serve_args, **serve_kwargs)
            add_never_cache_headers(response)
            return response
        return callback(page, request, serve_args, serve_kwargs)

    return inner
