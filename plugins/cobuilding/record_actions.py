"""The lists' own actions (认领, 社区认领, 接受/婉拒, 审核, 进展, 评诺, 导出 Word): each is a
``RecordAction`` of its model's admin (admin.py), so it is a URL of that admin and its
button is added by the admin's button helper when the model's policy allows it.

Each view is given its record already allowed by the policy (a record the user may not
see: 404; one they see but may not act on: 403) and the admin that serves it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import policies
from .forms import (
    ClaimNeedForm,
    ClaimResourceForm,
    DecideClaimForm,
    ModerateNeedForm,
    ProgressForm,
    ScoreForm,
)
from .models import (
    Claim,
    ClaimKind,
    ClaimStatus,
    Commitment,
    Need,
    NeedStatus,
    ProgressUpdate,
    Project,
    Resource,
    ResourceStatus,
)


def _index(model):
    """The list of ``model`` (a URL name of its admin: no admin is built per request)."""
    return reverse(f"cobuilding_{model._meta.model_name}_modeladmin_index")


def _render(request, template, context, form):
    return TemplateResponse(request, f"cobuilding/admin/{template}", context,
                            status=400 if form.is_bound and form.errors else 200)  # fmt: skip


# --- 双向认领 ---------------------------------------------------------------------


def claim_need(request, need, model_admin):
    """A unit claims a moderated, open need of a community."""
    units = policies.claiming_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form = ClaimNeedForm(units, request.POST or None)
    if need.status not in (NeedStatus.OPEN, NeedStatus.CLAIMED):
        messages.error(request, _("该需求当前状态为“%(s)s”，不能认领。")
                       % {"s": need.get_status_display()})  # fmt: skip
        return redirect(_index(Need))
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        if Claim.objects.filter(need=need, unit=unit, status=ClaimStatus.PENDING).exists():
            form.add_error("unit", _("该单位已认领此需求，正在等待社区确认。"))
        else:
            with transaction.atomic():
                Claim.objects.create(
                    kind=ClaimKind.NEED, community=need.community, year=need.year, unit=unit,
                    need=need, plan=form.cleaned_data["plan"], claimed_by=request.user,
                )  # fmt: skip
                Need.objects.filter(pk=need.pk).update(status=NeedStatus.CLAIMED)
            messages.success(request, _("已认领“%(t)s”，等待社区确认。") % {"t": need.title})
            return redirect(_index(Claim))
    return _render(request, "claim.html",
                   {"title": _("认领需求"), "subject": need, "form": form}, form)  # fmt: skip


def claim_resource(request, resource, model_admin):
    """A community (its secretary) claims a unit's resource."""
    form = ClaimResourceForm(request.POST or None)
    if resource.status == ResourceStatus.WITHDRAWN:
        messages.error(request, _("该资源已撤回，不能认领。"))
        return redirect(_index(Resource))
    if request.method == "POST" and form.is_valid():
        if Claim.objects.filter(resource=resource, status=ClaimStatus.PENDING).exists():
            form.add_error(None, _("该资源已有待确认的认领。"))
        else:
            Claim.objects.create(
                kind=ClaimKind.RESOURCE, community=resource.community, year=resource.year,
                unit=resource.unit, resource=resource, plan=form.cleaned_data["plan"],
                claimed_by=request.user,
            )  # fmt: skip
            messages.success(request, _("已认领“%(t)s”，等待单位确认。") % {"t": resource.title})
            return redirect(_index(Claim))
    return _render(request, "claim.html",
                   {"title": _("认领资源"), "subject": resource, "form": form}, form)  # fmt: skip


def decide_claim(request, claim, model_admin):
    """The other side accepts (a project is made) or declines with a reason."""
    if claim.status != ClaimStatus.PENDING:
        messages.error(request, _("该认领已处理。"))
        return redirect(_index(Claim))
    form = DecideClaimForm(request.POST or None,
                           initial={"project_title": str(claim.subject)})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["decision"] == "accept":
            project = accept_claim(claim, request.user, data["project_title"].strip(),
                                   data["target_date"])  # fmt: skip
            messages.success(request, _("已接受认领，形成项目“%(t)s”。") % {"t": project.title})
        else:
            decline_claim(claim, request.user, data["reason"].strip())
            messages.success(request, _("已婉拒认领。"))
        return redirect(_index(Claim))
    return _render(request, "decide.html", {"title": _("确认认领"), "claim": claim, "form": form},
                   form)  # fmt: skip


@transaction.atomic
def accept_claim(claim, user, title, target_date=None):
    """Accept ``claim``: a project linking its need or resource, led by its unit."""
    project = Project.objects.create(
        community=claim.community, year=claim.year, title=title, unit=claim.unit,
        description=claim.plan, target_date=target_date,
    )  # fmt: skip
    if claim.need_id:
        project.needs.add(claim.need)
        Need.objects.filter(pk=claim.need_id).update(status=NeedStatus.IN_PROGRESS)
    if claim.resource_id:
        project.resources.add(claim.resource)
        Resource.objects.filter(pk=claim.resource_id).update(status=ResourceStatus.MATCHED)
    claim.status = ClaimStatus.ACCEPTED
    claim.project = project
    claim.decided_by = user
    claim.decided_at = timezone.now()
    claim.save()
    return project


@transaction.atomic
def decline_claim(claim, user, reason):
    claim.status = ClaimStatus.DECLINED
    claim.decline_reason = reason
    claim.decided_by = user
    claim.decided_at = timezone.now()
    claim.save()
    if claim.need_id:
        others = claim.need.claims.exclude(pk=claim.pk).exclude(status=ClaimStatus.DECLINED)
        if not others.exists() and claim.need.status == NeedStatus.CLAIMED:
            Need.objects.filter(pk=claim.need_id).update(status=NeedStatus.OPEN)


# --- Moderation, progress, scoring -------------------------------------------------


def moderate_need(request, need, model_admin):
    form = ModerateNeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        need.status = NeedStatus.OPEN if approve else NeedStatus.REJECTED
        need.moderation_note = form.cleaned_data["note"]
        need.save(update_fields=["status", "moderation_note"])
        messages.success(request, _("已通过，需求已公示。") if approve else _("已不予采纳。"))
        return redirect(_index(Need))
    return _render(request, "moderate.html", {"title": _("审核需求"), "need": need, "form": form},
                   form)  # fmt: skip


def project_progress(request, project, model_admin):
    allowed = model_admin.permission_helper.user_can(request.user, "add_progress", project)
    form = ProgressForm(
        request.POST or None, initial={"date": timezone.localdate(), "percent": project.progress}
    )
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        if form.is_valid():
            ProgressUpdate.objects.create(project=project, author=request.user,
                                          **form.cleaned_data)  # fmt: skip
            project.refresh_progress()
            messages.success(
                request, _("已记录进展：%(p)s%%") % {"p": form.cleaned_data["percent"]}
            )
            return redirect(model_admin.action_url("progress", project))
    return _render(request, "progress.html", {
        "title": _("项目进展"), "project": project, "form": form, "can_add": allowed,
        "updates": project.updates.select_related("author"),
    }, form)  # fmt: skip


def score_commitment(request, commitment, model_admin):
    form = ScoreForm(
        request.POST or None,
        initial={"score": commitment.score, "comment": commitment.score_comment},
    )
    if request.method == "POST" and form.is_valid():
        commitment.score = form.cleaned_data["score"]
        commitment.score_comment = form.cleaned_data["comment"]
        commitment.scored_by = request.user
        commitment.scored_on = timezone.localdate()
        commitment.save()
        messages.success(request, _("已评诺：%(s)s 分") % {"s": commitment.score})
        return redirect(_index(Commitment))
    return _render(request, "score.html", {
        "title": _("评诺"), "commitment": commitment, "form": form,
        "fulfilments": commitment.fulfilments.all(),
    }, form)  # fmt: skip


def export_agreement(request, agreement, model_admin):
    from .export import docx_response

    return docx_response(agreement)
