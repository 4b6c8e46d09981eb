from django import template

from ..people import display_name

register = template.Library()


@register.filter
def person(user):
    """陈晓梅 for a user; 自动检查 for the automatic check (no user)."""
    return display_name(user)


@register.simple_tag
def listing_state(page):
    """The page's state in Chinese for a row of the page explorer (see page_state)."""
    from ..states import page_state

    return str(page_state(page, brief=True))
