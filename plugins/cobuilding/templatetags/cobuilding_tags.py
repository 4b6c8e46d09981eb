"""Template tags for org pages: the link to a community's 公示 board."""

from django import template

from plugins.orgs.models import CommunityPage

register = template.Library()


@register.inclusion_tag("cobuilding/includes/board_link.html")
def cobuilding_board_link(page):
    """On a community page, a link to its three lists board; nothing elsewhere."""
    from ..public import board_url

    if page.specific_class is not CommunityPage:
        return {"url": None}
    return {"url": board_url(page), "title": page.title}
