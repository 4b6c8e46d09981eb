"""Spam defences of the public forms: a per-address rate limit (the honeypot field is in
forms.py). The counting itself is the site's (gongjian_site.ratelimit)."""

from django.conf import settings

from gongjian_site.ratelimit import client_address
from gongjian_site.ratelimit import over_limit as _over_limit

#: Submissions (valid or not) one address may make per window, and the window in seconds.
DEFAULT_LIMIT = (10, 600)

__all__ = ["DEFAULT_LIMIT", "client_address", "over_limit"]


def over_limit(request):
    """Count this submission; True when the address has gone past its allowance."""
    limit, window = getattr(settings, "REGISTRATIONS_RATE_LIMIT", DEFAULT_LIMIT)
    return _over_limit(request, "registrations", limit, window)
