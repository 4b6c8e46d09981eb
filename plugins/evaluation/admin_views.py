"""Admin views: dashboards, unit scores and ranking, monthly reports, rating rounds."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from gongjian_site.params import parse_id, parse_int
from plugins.orgs.models import DistrictPage, OrganisationPage, StreetPage

from .charts import bar_chart
from .excel import rows_workbook, table_workbook, workbook_response
from .forms import CommentForm, monthly_form_class
from .letters import feedback_letter
from .metrics import all_metrics, get_metric
from .models import MonthlyAnswer, MonthlyItem, MonthlyReport, RatingRound, ScoreWeights
from .models.monthly import due_date, month_status
from .perms import can_edit_page, is_manager
from .scope import scope_for
from .scoring import publish_ranking, street_scores


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


# --- Unit scores ------------------------------------------------------------------


def _weights_for_user(request, pk):
    weights = get_object_or_404(ScoreWeights.objects.select_related("street"), pk=pk)
    if not (is_manager(request.user) or can_edit_page(request.user, weights.street)):
        raise PermissionDenied
    return weights


def scores(request, pk):
    weights = _weights_for_user(request, pk)
    if request.method == "POST":
        publish_ranking(weights, by=request.user)
        messages.success(
            request,
            _("已公开 %(street)s %(year)s 年度单位排名。")
            % {"street": weights.street.title, "year": weights.year},
        )
        return redirect("evaluation_admin:scores", pk=weights.pk)
    results = street_scores(weights)
    return TemplateResponse(
        request,
        "evaluation/admin/scores.html",
        {
            "weights": weights,
            "results": results,
            "sources": results[0].lines if results else [],
            "public_url": reverse("evaluation:ranking", args=[weights.pk]),
        },
    )


def scores_xlsx(request, pk):
    weights = _weights_for_user(request, pk)
    results = street_scores(weights)
    header = ["名次", "单位"]
    if results:
        for line in results[0].lines:
            header += [
                f"{line.label}（原始值）",
                f"{line.label}（得分）",
                f"{line.label}（权重 {line.weight}）",
            ]
    header.append("总分")
    rows = []
    for score in results:
        row = [score.rank, score.unit.title]
        for line in score.lines:
            row += [line.value, float(line.points), float(line.weighted)]
        rows.append([*row, float(score.total)])
    title = f"{weights.street.title}{weights.year}年度单位得分"
    return workbook_response(rows_workbook("单位得分", header, rows, title), f"{title}.xlsx")


# --- Monthly reports ----------------------------------------------------------------


def _district_of(street):
    return DistrictPage.objects.ancestor_of(street).first()


def monthly_fill(request, street_id, year, month):
    street = get_object_or_404(StreetPage, pk=parse_id(street_id, 0))
    if not can_edit_page(request.user, street):
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
    streets = StreetPage.objects.order_by("path")
    if not is_manager(request.user):
        streets = [
            s
            for s in streets
            if can_edit_page(request.user, s) or can_edit_page(request.user, _district_of(s))
        ]
    streets = list(streets)
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
                    "can_fill": can_edit_page(request.user, street) and key != "future",
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
    district = _district_of(report.street)
    can_comment = is_manager(request.user) or (district and can_edit_page(request.user, district))
    if not (can_comment or can_edit_page(request.user, report.street)):
        raise PermissionDenied
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


# --- Rating rounds ------------------------------------------------------------------


def _round_for_user(request, pk):
    rating_round = get_object_or_404(
        RatingRound.objects.select_related(
            "report__user", "report__committee", "report__appointment__source_unit"
        ),
        pk=pk,
    )
    if not (is_manager(request.user) or can_edit_page(request.user, rating_round.report.committee)):
        raise PermissionDenied
    return rating_round


def round_links(request, pk):
    rating_round = _round_for_user(request, pk)
    if rating_round.closed_at is None and rating_round.is_closed:
        rating_round.close()  # the deadline passed: record the result on first look
    raters = list(rating_round.raters.all())
    for rater in raters:
        rater.url = request.build_absolute_uri(rater.vote_path())
    return TemplateResponse(
        request,
        "evaluation/admin/round.html",
        {
            "round": rating_round,
            "raters": raters,
            "voted": sum(1 for rater in raters if rater.voted_at),
            "removal_url": reverse(
                "access_appointment_modeladmin_remove", args=[rating_round.report.appointment_id]
            ),
        },
    )


def round_close(request, pk):
    rating_round = _round_for_user(request, pk)
    if request.method != "POST":
        return redirect("evaluation_admin:round", pk=pk)
    if rating_round.closed_at is not None:
        messages.error(request, _("该测评已结束。"))
    else:
        rating_round.close(by=request.user)
        messages.success(
            request,
            _("测评已结束，结果：%(grade)s。")
            % {"grade": rating_round.get_grade_display() or _("测评无效（有效票未过半数）")},
        )
    return redirect("evaluation_admin:round", pk=pk)


def round_letter(request, pk):
    rating_round = _round_for_user(request, pk)
    if rating_round.closed_at is None:
        messages.error(request, _("测评结束后才能生成反馈函。"))
        return redirect("evaluation_admin:round", pk=pk)
    name = f"{rating_round.report.person_name}{rating_round.report.year}年度述职测评结果反馈函.docx"
    response = HttpResponse(
        feedback_letter(rating_round),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/<slug:key>.xlsx", dashboard_xlsx, name="dashboard_xlsx"),
    path("scores/<int:pk>/", scores, name="scores"),
    path("scores/<int:pk>.xlsx", scores_xlsx, name="scores_xlsx"),
    path("monthly/", monthly, name="monthly"),
    path("monthly/<int:street_id>/<int:year>/<int:month>/", monthly_fill, name="monthly_fill"),
    path("monthly/report/<int:pk>/", monthly_report, name="monthly_report"),
    path("rounds/<int:pk>/", round_links, name="round"),
    path("rounds/<int:pk>/close/", round_close, name="round_close"),
    path("rounds/<int:pk>/letter.docx", round_letter, name="round_letter"),
]
