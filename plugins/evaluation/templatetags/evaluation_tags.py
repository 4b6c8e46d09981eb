"""Template tags the theme's organisation page calls (awards on an organisation's page)."""

from django import template

register = template.Library()


@register.inclusion_tag("evaluation/includes/awards.html")
def organisation_awards(organisation):
    """Honours of the organisation and of people recorded under it, newest first."""
    from ..models import Award

    return {"awards": list(Award.objects.filter(organisation=organisation))}
