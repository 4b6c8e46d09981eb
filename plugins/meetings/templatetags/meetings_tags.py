"""Template filters for public meeting pages."""

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Chinese mobiles (1[3-9] + 9 digits) and landlines with an area code (0xx-xxxx xxxx),
# allowing the spaces and hyphens people type.
PHONE = re.compile(
    r"(?<!\d)(?:(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}|0\d{2,3}[\s-]?\d{3,4}[\s-]?\d{4})(?!\d)"
)


@register.filter
def hide_phones(value):
    """Replace phone numbers in ``value`` (plain text or HTML) by 电话已隐去.

    Minutes are typed by people; a number pasted into them must not reach the public page."""
    if value is None:
        return value
    text = str(value)
    hidden = PHONE.sub("〔电话已隐去〕", text)
    return mark_safe(hidden) if isinstance(value, SafeString) else hidden


@register.inclusion_tag("meetings/includes/committee_meetings.html")
def committee_meetings(page, limit=3):
    """For an organisation page's template: its upcoming meetings and a link to its 会议
    index (nothing for pages whose committee does not meet)."""
    from ..models import MeetingIndexPage, upcoming_meetings

    index = MeetingIndexPage.objects.child_of(page).live().public().first()
    if index is None:
        return {"index": None, "meetings": []}
    return {"index": index, "meetings": upcoming_meetings(index, limit=limit)}
