"""Template tags for the theme: featured cases on the home page."""

from django import template

from ..models import CasePage

register = template.Library()


@register.inclusion_tag("cases/includes/featured_cases.html")
def featured_cases(limit=6):
    """Live cases marked 首页展示, newest first."""
    cases = (
        CasePage.objects.live().public().filter(featured=True)
        .select_related("cover_image").order_by("-date", "-pk")[:limit]
    )  # fmt: skip
    return {"cases": list(cases)}
