from django import template

from ..people import display_name

register = template.Library()


@register.filter
def person(user):
    """陈晓梅 for a user; 自动检查 for the automatic check (no user)."""
    return display_name(user)
