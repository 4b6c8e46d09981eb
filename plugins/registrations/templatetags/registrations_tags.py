from django import template

from plugins.orgs.models import CommunityPage

from ..tables import TABLES

register = template.Library()


@register.inclusion_tag("registrations/includes/form_links.html")
def registration_links(page):
    """The three public forms of a community page (nothing on other pages; no query)."""
    if not isinstance(page, CommunityPage):
        return {"tables": ()}
    return {"community": page, "tables": TABLES.values()}
