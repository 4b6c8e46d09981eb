"""Admin views: dashboards, unit scores and ranking, monthly reports, rating rounds."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian_site.params import parse_id, parse_int
from plugins.orgs.models import DistrictPage, OrganisationPage, StreetPage

from .charts import bar_chart
from .excel import table_workbook, workbook_response
from .forms import CommentForm, monthly_form_class
from .metrics import all_metrics, get_metric
from .models import MonthlyAnswer, MonthlyItem, MonthlyReport
from .models.monthly import due_date, month_status
from .policies import is_manager
from .scope import scope_for


def parse_year(value, default=None):
    """A year from a query parameter; anything odd gives the default (this year)."""
    default = default or timezone.localdate().year
    return parse_int(value, default, minimum=2000, maximum=2100)


# --- Dashboard --------------------------------------------------------------------


def _dashboard_scope(request):
    year = parse_year(request.GET.get("year"))
    organisation = None
    org_id = request.GET.get("org")
    if org_id:
        organisation = OrganisationPage.objects.filter(pk=parse_id(org_id, 0)).first()
        if organisation is None:
            raise Http404
    scope = scope_for(request.user, year, organisation)
    if scope is None:
        raise PermissionDenied
    return scope


def level_choices(request):
    """Organisations a viewer may narrow the dashboard to: districts, streets, communities."""
    from plugins.orgs.models import CommunityPage

    types = (DistrictPage, StreetPage, CommunityPage)
    pages = OrganisationPage.objects.type(*types).order_by("path")
    if not is_manager(request.user):
        from .scope import viewer_roots

        roots = viewer_roots(request.user)
        pages = [p for p in pages if any(p.path.startswith(r.path) for r in roots)]
    return list(pages)


def dashboard(request):
    scope = _dashboard_scope(request)
    charts = []
    for metric in all_metrics():
        table = metric.table(scope)
        charts.append(
            {"metric": metric, "table": table, "svg": bar_chart(table, f"chart-{metric.key}")}
        )
    return TemplateResponse(
        request,
        "evaluation/admin/dashboard.html",
        {
            "scope": scope,
            "charts": charts,
            "levels": level_choices(request),
            "org_id": request.GET.get("org", ""),
            "query": request.GET.urlencode(),
        },
    )


def dashboard_xlsx(request, key):
    metric = get_metric(key)
    if metric is None:
        raise Http404
    scope = _dashboard_scope(request)
    table = metric.table(scope)
    caption = f"{table.title} · {scope.year}年 · {scope.label}"
    return workbook_response(table_workbook(table, caption), f"{table.title}{scope.year}.xlsx")


# --- Monthly reports ----------------------------------------------------------------


def _policy():
    from plugins.access.api import record_policy

    return record_policy(MonthlyReport)


def _district_of(street):
    return DistrictPage.objects.ancestor_of(street).first()


def monthly_fill(request, street_id, year, month):
    street = get_object_or_404(StreetPage, pk=parse_id(street_id, 0))
    if not _policy().user_has_permission_for_page(request.user, "add", street):
        raise PermissionDenied
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    if timezone.localdate() < due_date(year, month).replace(day=1):
        messages.error(request, _("%(y)s年%(m)s月尚未结束，暂不能报送。") % {"y": year, "m": month})
        return redirect("evaluation_admin:monthly")
    district = _district_of(street)
    items = list(MonthlyItem.objects.filter(district=district, active=True))
    report = MonthlyReport.objects.filter(street=street, year=year, month=month).first()
    existing = {a.item_id: a.value for a in report.answers.all()} if report else {}
    Form = monthly_form_class(items)
    form = Form(
        request.POST or None, initial={f"item_{pk}": value for pk, value in existing.items()}
    )
    if not items:
        messages.warning(request, _("区委尚未设置月报表项目。"))
    if request.method == "POST" and items and form.is_valid():
        with transaction.atomic():
            report, _created = MonthlyReport.objects.get_or_create(
                street=street, year=year, month=month
            )
            for item in items:
                MonthlyAnswer.objects.update_or_create(
                    report=report,
                    item=item,
                    defaults={"value": str(form.cleaned_data[f"item_{item.pk}"])},
                )
            if report.submitted_at is None:
                report.submitted_at = timezone.now()
                report.submitted_by = request.user
                report.save(update_fields=["submitted_at", "submitted_by"])
        if report.is_late:
            messages.warning(
                request,
                _("已报送。本月报截止日期为 %(due)s，已逾期。") % {"due": report.due.isoformat()},
            )
        else:
            messages.success(request, _("已报送。"))
        return redirect("evaluation_admin:monthly")
    return TemplateResponse(
        request,
        "evaluation/admin/monthly_fill.html",
        {
            "street": street,
            "year": year,
            "month": month,
            "form": form,
            "report": report,
            "due": due_date(year, month),
        },
        status=400 if form.errors else 200,
    )


def monthly(request):
    """Streets × months of a year: the district's overview, a street's own row."""
    year = parse_year(request.GET.get("year"))
    policy = _policy()
    streets = [
        street
        for street in StreetPage.objects.order_by("path")
        if policy.user_has_permission_for_page(request.user, "view", street)
    ]
    reports = {
        (r.street_id, r.month): r
        for r in MonthlyReport.objects.filter(year=year, street__in=[s.pk for s in streets])
    }
    today = timezone.localdate()
    grid = []
    for street in streets:
        cells = []
        for month in range(1, 13):
            report = reports.get((street.pk, month))
            key, label = month_status(report, year, month, today)
            cells.append(
                {
                    "month": month,
                    "report": report,
                    "key": key,
                    "label": label,
                    "can_fill": key != "future"
                    and policy.user_has_permission_for_page(request.user, "add", street),
                }
            )
        grid.append({"street": street, "cells": cells})
    return TemplateResponse(
        request,
        "evaluation/admin/monthly.html",
        {
            "year": year,
            "grid": grid,
            "months": range(1, 13),
        },
    )


def monthly_report(request, pk):
    report = get_object_or_404(MonthlyReport.objects.select_related("street"), pk=pk)
    policy = _policy()
    if not policy.user_has_permission_for_instance(request.user, "view", report):
        raise PermissionDenied
    # 月报审核: the district's comment (the street only reads it).
    can_comment = policy.user_has_permission_for_instance(request.user, "review", report)
    form = CommentForm(request.POST or None, initial={"comment": report.comment})
    if request.method == "POST":
        if not can_comment:
            raise PermissionDenied
        if form.is_valid():
            report.comment = form.cleaned_data["comment"]
            report.commented_by = request.user
            report.commented_at = timezone.now()
            report.save(update_fields=["comment", "commented_by", "commented_at"])
            messages.success(request, _("月讲评已保存。"))
            return redirect("evaluation_admin:monthly_report", pk=report.pk)
    answers = report.answers.select_related("item").order_by("item__sort_order", "item__pk")
    return TemplateResponse(
        request,
        "evaluation/admin/monthly_report.html",
        {
            "report": report,
            "answers": answers,
            "form": form,
            "can_comment": can_comment,
        },
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/<slug:key>.xlsx", dashboard_xlsx, name="dashboard_xlsx"),
    path("monthly/", monthly, name="monthly"),
    path("monthly/<int:street_id>/<int:year>/<int:month>/", monthly_fill, name="monthly_fill"),
    path("monthly/report/<int:pk>/", monthly_report, name="monthly_report"),
]
