"""Public views: voting links, the statistics summary, published rankings."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from gongjian_site import clock
from gongjian_site.pagecache import mark_view_cacheable
from gongjian_site.params import parse_id

from .admin_views import parse_year
from .charts import bar_chart
from .excel import rows_workbook, table_workbook, workbook_response
from .forms import VoteForm
from .metrics import all_metrics
from .models import ScoreWeights
from .scope import public_scope
from .screen import screen_data, screen_organisation, screen_pages
from .tokens import VoteRefused, cast_vote, check_open, rater_for_token


def _refused(request, refused):
    """Why this link cannot take a vote (used, forged, closed), with its status code."""
    return TemplateResponse(
        request, "evaluation/vote_refused.html", {"message": refused.message},
        status=refused.status,
    )  # fmt: skip


def vote(request, token):
    """A rater's personal link: the report's summary, the ballot, one vote."""
    try:
        rater = rater_for_token(token)
        check_open(rater)
    except VoteRefused as refused:
        return _refused(request, refused)
    form = VoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cast_vote(token, form.cleaned_data["grade"], form.cleaned_data["comment"])
        except VoteRefused as refused:
            return _refused(request, refused)
        return TemplateResponse(request, "evaluation/vote_done.html", {"rater": rater})
    return TemplateResponse(
        request,
        "evaluation/vote.html",
        {
            "rater": rater,
            "report": rater.round.report,
            "round": rater.round,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


#: The years the statistics page links to (and looks through for data), newest first.
YEARS_OFFERED = 5


def _has_data(table):
    """Whether a chart's table shows anything but empty rows and zeros."""
    return any(value for _label, values in table.rows for value in values)


def _public_metrics():
    return [metric for metric in all_metrics() if metric.public]


def _charts(scope):
    charts = []
    for metric in _public_metrics():
        table = metric.table(scope)
        charts.append(
            {"metric": metric, "table": table, "svg": bar_chart(table, f"chart-{metric.key}")}
        )
    return charts


def statistics(request):
    """The public statistics of the whole site: kept by the page cache like a page, and
    cleared by any change below the site's root or of a table it reads; the charts are
    computed only when the page's content is not kept rendered (gongjian_site.fragments)."""
    site = Site.find_for_request(request)
    if site is not None:
        mark_view_cacheable(request, site.root_page)
    this_year = clock.today().year
    asked = request.GET.get("year")
    found = {}

    def opened():
        # Without ?year=, the latest year that has data (early in a year, or before a
        # site's first records of it, this year's charts would all be empty). Lazy, so a
        # page kept rendered by the cache computes nothing.
        if found:
            return found
        years = [parse_year(asked)] if asked is not None else []
        years += list(range(this_year, this_year - YEARS_OFFERED, -1))
        for year in years:
            scope = public_scope(year)
            charts = _charts(scope)
            if asked is not None or any(_has_data(chart["table"]) for chart in charts):
                break
        else:
            scope = public_scope(this_year)
            year, charts = this_year, _charts(scope)
        found.update(year=year, scope=scope, charts=charts)
        return found

    scope = SimpleLazyObject(lambda: opened()["scope"])
    charts = SimpleLazyObject(lambda: opened()["charts"])
    rankings = ScoreWeights.objects.filter(ranking_published=True).select_related("street")
    return TemplateResponse(
        request,
        "evaluation/statistics.html",
        {
            "scope": scope,
            "charts": charts,
            "rankings": rankings,
            "query": SimpleLazyObject(lambda: f"year={opened()['year']}"),
            "years": range(this_year, this_year - YEARS_OFFERED, -1),
            "screens": SimpleLazyObject(lambda: list(screen_pages())),
        },
    )


def statistics_xlsx(request, key):
    metric = next((m for m in _public_metrics() if m.key == key), None)
    if metric is None:
        raise Http404
    scope = public_scope(parse_year(request.GET.get("year")))
    table = metric.table(scope)
    return workbook_response(
        table_workbook(table, f"{table.title} · {scope.year}年"), f"{table.title}{scope.year}.xlsx"
    )


def ranking(request, pk):
    weights = get_object_or_404(
        ScoreWeights.objects.select_related("street"), pk=pk, ranking_published=True
    )
    lines = list(weights.published.select_related("unit"))
    if request.GET.get("format") == "xlsx":
        rows = [[line.rank, line.unit.title, float(line.total)] for line in lines]
        title = f"{weights.street.title}{weights.year}年度驻区单位共建排名"
        return workbook_response(
            rows_workbook("排名", ["名次", "单位", "总分"], rows, title), f"{title}.xlsx"
        )
    return TemplateResponse(
        request, "evaluation/ranking.html", {"weights": weights, "lines": lines}
    )


def _year_query(year):
    """``?year=`` for a link, left out for this year: the screen on the wall shows this
    year, so its links keep one address (and give crawlers no new ones to walk)."""
    return "" if year == timezone.localdate().year else f"?year={year}"


def _screen_request(request, org):
    """The organisation and year a screen URL asks for; 404 unless it is a public
    district or street."""
    pk = parse_id(org)
    organisation = screen_organisation(pk) if pk is not None else None
    if organisation is None:
        raise Http404
    return organisation, parse_year(request.GET.get("year"))


def screen(request, org):
    """大屏: one district's or street's statistics, full screen, refreshing itself."""
    organisation, year = _screen_request(request, org)
    data = screen_data(organisation, year)
    return TemplateResponse(
        request,
        "evaluation/screen.html",
        {
            "organisation": organisation,
            "year": year,
            "year_query": _year_query(year),
            "data": data,
        },
    )


def screen_json(request, org):
    """The screen's data, fetched again by screen.js every few minutes."""
    organisation, year = _screen_request(request, org)
    return JsonResponse(screen_data(organisation, year), json_dumps_params={"ensure_ascii": False})
