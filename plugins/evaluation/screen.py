"""大屏: the public statistics of one district or street, for a wall screen or projector.

The numbers are the statistics page's own: the same public metrics (``metrics.py``),
computed over a public ``Scope`` rooted at the organisation instead of the whole city,
so each figure on a screen is the sum of the cells the statistics page shows for that
district or street. Public means what ``Scope(public=True)`` counts: live pages without
a view restriction (activities), live units and communities, closed rating rounds.

The data travel as one JSON document (``screen_data``): embedded in the page with
``json_script`` (data, not code: the public Content-Security-Policy allows it) for the
first paint, fetched again from the data URL every REFRESH_SECONDS by ``screen.js``.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from plugins.orgs.models import DistrictPage, StreetPage

from .metrics import all_metrics
from .scope import Scope

# How often the screen fetches its data again (seconds); the page says so on screen.
REFRESH_SECONDS = 300
SCREEN_TYPES = (DistrictPage, StreetPage)


def screen_pages(root=None):
    """The districts and streets that have a screen: live, without a view restriction,
    below ``root`` when given; in tree order (a district before its streets)."""
    # By content type rather than .type(), which also looks up every subclass's type.
    types = ContentType.objects.get_for_models(*SCREEN_TYPES).values()
    pages = Page.objects.live().public().filter(content_type__in=types).order_by("path")
    if root is not None:
        pages = pages.descendant_of(root, inclusive=True)
    return pages


def screen_organisation(pk):
    """The district or street page ``pk`` when it has a screen, else None."""
    page = Page.objects.filter(pk=pk).live().first()
    if page is None:
        return None
    page = page.specific
    if not isinstance(page, SCREEN_TYPES) or page.get_view_restrictions().exists():
        return None
    return page


def _table_json(key, table):
    return {
        "key": key,
        "title": table.title,
        "row_heading": table.row_heading,
        "columns": list(table.columns),
        "rows": [[label, list(values)] for label, values in table.rows],
        "unit": table.unit,
        "total": table.total(),
    }


def _figures(scope, tables):
    """The big numbers above the charts, from the tables already computed."""
    figures = [
        {"key": "units", "label": str(_("驻区单位")), "value": len(scope.unit_ids), "unit": "个"},
        {
            "key": "communities",
            "label": str(_("社区")),
            "value": len(scope.communities()),
            "unit": "个",
        },
    ]
    if "activities" in tables:
        figures.insert(
            0,
            {
                "key": "activities",
                "label": str(_("共建活动")),
                "value": tables["activities"].total(),
                "unit": "次",
            },
        )
    if "claims" in tables:
        figures.append(
            {
                "key": "claims",
                "label": str(_("完成认领")),
                "value": tables["claims"].total(),
                "unit": "项",
            }
        )
    if "attendance" in tables:
        rates = [values[0] for _label, values in tables["attendance"].rows if values[0] is not None]
        figures.append(
            {
                "key": "attendance",
                "label": str(_("平均会议出席率")),
                "value": round(sum(rates) / len(rates), 1) if rates else None,
                "unit": "%",
            }
        )
    if "ratings" in tables:
        figures.append(
            {
                "key": "ratings",
                "label": str(_("兼职委员测评")),
                "value": tables["ratings"].total(),
                "unit": "人",
            }
        )
    return figures


def screen_data(organisation, year):
    """Everything one screen shows, as JSON-ready data."""
    scope = Scope(roots=[organisation], year=year, public=True)
    tables = {metric.key: metric.table(scope) for metric in all_metrics() if metric.public}
    return {
        "organisation": {"id": organisation.pk, "title": organisation.title},
        "year": year,
        "updated": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "refresh_seconds": REFRESH_SECONDS,
        "figures": _figures(scope, tables),
        "charts": [_table_json(key, table) for key, table in tables.items()],
    }
