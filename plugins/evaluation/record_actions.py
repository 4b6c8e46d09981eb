"""Actions of the evaluation admins (``RecordAction``s, see plugins.access.record_admin):
a rating round's 投票链接与结果, 关闭测评 and feedback letter, a street's 得分与排名.

Each view is given its record already allowed by the model's policy (a record the user
may not see: 404; one they see but may not act on: 403), and the admin that serves it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from plugins.access.api import removal_url

from .excel import rows_workbook, workbook_response
from .letters import feedback_letter
from .scoring import publish_ranking, street_scores

# --- Rating rounds ------------------------------------------------------------------


def round_links(request, rating_round, model_admin):
    if rating_round.closed_at is None and rating_round.is_closed:
        rating_round.close()  # the deadline passed: record the result on first look
    raters = list(rating_round.raters.all())
    for rater in raters:
        rater.url = request.build_absolute_uri(rater.vote_path())
    helper = model_admin.permission_helper
    can_close = helper.user_can(request.user, "close", rating_round)
    return TemplateResponse(
        request,
        "evaluation/admin/round.html",
        {
            "round": rating_round,
            "raters": raters,
            "voted": sum(1 for rater in raters if rater.voted_at),
            "removal_url": removal_url(rating_round.report.appointment_id),
            "close_url": model_admin.action_url("close", rating_round) if can_close else None,
            "letter_url": model_admin.action_url("letter", rating_round),
        },
    )


def round_close(request, rating_round, model_admin):
    results = model_admin.action_url("results", rating_round)
    if request.method != "POST":
        return redirect(results)
    if rating_round.closed_at is not None:
        messages.error(request, _("该测评已结束。"))
        return redirect(results)
    rating_round.close(by=request.user)
    messages.success(
        request,
        _("测评已结束，结果：%(grade)s。")
        % {"grade": rating_round.get_grade_display() or _("测评无效（有效票未过半数）")},
    )
    return redirect(results)


def round_letter(request, rating_round, model_admin):
    if rating_round.closed_at is None:
        messages.error(request, _("测评结束后才能生成反馈函。"))
        return redirect(model_admin.action_url("results", rating_round))
    name = f"{rating_round.report.person_name}{rating_round.report.year}年度述职测评结果反馈函.docx"
    response = HttpResponse(
        feedback_letter(rating_round),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# --- Unit scores ------------------------------------------------------------------


def scores(request, weights, model_admin):
    if request.method == "POST":
        if not model_admin.permission_helper.user_can(request.user, "publish_ranking", weights):
            raise PermissionDenied
        publish_ranking(weights, by=request.user)
        messages.success(
            request,
            _("已公开 %(street)s %(year)s 年度单位排名。")
            % {"street": weights.street.title, "year": weights.year},
        )
        return redirect(model_admin.action_url("scores", weights))
    results = street_scores(weights)
    return TemplateResponse(
        request,
        "evaluation/admin/scores.html",
        {
            "weights": weights,
            "results": results,
            "sources": results[0].lines if results else [],
            "public_url": reverse("evaluation:ranking", args=[weights.pk]),
            "xlsx_url": model_admin.action_url("xlsx", weights),
        },
    )


def scores_xlsx(request, weights, model_admin):
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
