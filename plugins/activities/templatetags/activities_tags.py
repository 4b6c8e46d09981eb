"""Template tags the theme's organisation page calls: the plugin adds a section to
every organisation page without the orgs plugin knowing about activities."""

from django import template
from django.urls import reverse

from ..models import ActivityIndexPage, activities_of, attach_organisers, paginate

register = template.Library()

PAGE_PARAM = "activities_page"


@register.inclusion_tag("activities/includes/recent_activities.html", takes_context=True)
def recent_activities(context, organisation, per_page=5):
    """The organisation's recent activities and those of its descendants, paginated by
    ``?activities_page=N``."""
    request = context.get("request")
    number = request.GET.get(PAGE_PARAM) if request else None
    page = paginate(activities_of(organisation), number, per_page)
    attach_organisers(page.object_list)
    index = ActivityIndexPage.objects.live().child_of(organisation).first()
    return {
        "request": request,
        "organisation": organisation,
        "activities": page,
        "page_param": PAGE_PARAM,
        "index": index,
        "feed_url": reverse("activities:feed", args=[organisation.pk]),
    }


@register.simple_tag
def activity_feed_url(organisation):
    """The RSS address of an organisation's activities (for <link rel="alternate">)."""
    return reverse("activities:feed", args=[organisation.pk])
