"""Change requests in the admin: the list of those waiting, and the side-by-side view
where a moderator accepts or rejects one (services.accept_change / reject_change).

Only those who moderate the record's community (its reviewers, holders of the model
permission) see and decide; everyone else gets the same 403 as for a record they may
not moderate. The compare view also lists every earlier request of the record, with
what each one replaced: the record's versions from the public forms.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .admin import ADMINS
from .models import ChangeStatus
from .services import accept_change, compare, reject_change
from .tables import TABLES

#: The tables whose records take change requests (the unit tables).
CHANGE_TABLES = ("survey", "checkin")
DECIDED_SHOWN = 100


def _helper(table_key):
    table = TABLES[table_key]
    return table, ADMINS[table_key].permission_helper_class(table.model)


def _change_model(table):
    return table.model.change_requests.rel.related_model


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("处理结果"),
        choices=[("accept", gettext_lazy("采纳：以提交的内容更新登记并审核通过")),
                 ("reject", gettext_lazy("不采纳：原登记保持不变"))],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择采纳或不采纳。"),
                        "invalid_choice": gettext_lazy("请选择采纳或不采纳。")},
    )  # fmt: skip
    note = forms.CharField(label=gettext_lazy("处理意见（选填）"), max_length=200, required=False)


def change_list(request):
    """Pending change requests of the records this user moderates (or, with
    ``?status=decided``, the latest decided ones), both unit tables."""
    decided = request.GET.get("status") == "decided"
    sections = []
    allowed = False
    for key in CHANGE_TABLES:
        table, helper = _helper(key)
        if not helper.user_can_list(request.user):
            continue
        allowed = True
        records = helper.policy.instances_user_has_permission_for(request.user, "moderate")
        changes = (
            _change_model(table)
            .objects.filter(record__in=records.values("pk"))
            .select_related("record__community", "decided_by")
        )
        if decided:
            changes = changes.exclude(status=ChangeStatus.PENDING).order_by("-decided_at")
            changes = changes[:DECIDED_SHOWN]
        else:
            changes = changes.filter(status=ChangeStatus.PENDING).order_by("submitted_at")
        sections.append({"table": table, "key": key, "changes": list(changes)})
    if not allowed:
        raise PermissionDenied
    return TemplateResponse(request, "registrations/admin/changes.html", {
        "title": _("已处理的变更申请") if decided else _("待处理的变更申请"),
        "sections": sections, "decided": decided,
        "list_url": reverse("registrations_changes"),
    })  # fmt: skip


def change_detail(request, table_key, pk):
    """The request beside the current record; accept or reject it (POST)."""
    if table_key not in CHANGE_TABLES:
        raise Http404
    table, helper = _helper(table_key)
    change = (
        _change_model(table)
        .objects.select_related("record__community", "record__unit", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if change is None:
        raise Http404
    if not helper.user_can(request.user, "moderate", change.record):
        raise PermissionDenied
    form = DecideForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if change.status != ChangeStatus.PENDING:
            messages.error(request, _("该变更申请已处理，不能再次处理。"))
            return redirect(request.path)
        if form.is_valid():
            decide = accept_change if form.cleaned_data["decision"] == "accept" else reject_change
            if decide(change, request.user, form.cleaned_data["note"]):
                messages.success(
                    request,
                    _("已采纳变更申请，登记已更新并审核通过。")
                    if decide is accept_change
                    else _("已不采纳该变更申请，原登记保持不变。"),
                )
            else:
                messages.error(request, _("该变更申请已由他人处理。"))
            return redirect(reverse("registrations_changes"))
        status = 400
    history = change.record.change_requests.select_related("decided_by").order_by(
        "-submitted_at", "-pk"
    )
    model_name = table.model._meta.model_name
    edit_url = reverse(f"registrations_{model_name}_modeladmin_edit", args=[change.record.pk])
    return TemplateResponse(request, "registrations/admin/change_detail.html", {
        "title": _("核对变更申请"), "table": table, "table_key": table_key,
        "change": change, "record": change.record, "rows": _rows(change),
        "form": form, "history": history, "edit_url": edit_url,
        "list_url": reverse("registrations_changes"),
    }, status=status)  # fmt: skip


def _rows(change):
    """Pending: the record as it is now against the request. Accepted: what the request
    replaced against what it brought (the record may have changed since)."""
    if change.status == ChangeStatus.ACCEPTED and change.previous is not None:
        return compare(change, current=change.previous)
    return compare(change)
