"""A per-address allowance for the public forms (needs, registrations), kept in the cache.

The cache is Redis in production, so a count holds across worker processes; with the
local-memory cache of the embedded default it is per process, enough for one server.
"""

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    """The submitter's address; behind the TLS proxy, the address the proxy saw."""
    if getattr(settings, "BEHIND_TLS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The proxy appends the address it saw; earlier entries are the client's word.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def over_limit(request, scope, limit, window):
    """Count this submission under ``scope``; True once the address has sent more than
    ``limit`` in ``window`` seconds."""
    key = f"ratelimit:{scope}:{client_address(request)}"
    if cache.add(key, 1, timeout=window):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        count = 1
    return (count or 0) > limit
