"""The one source of "today" for term checks.

Terms are compared by calendar date in the site's time zone; tests move the
date by replacing :func:`today`, never by touching the permission code.
"""

from django.utils import timezone


def today():
    """The current local date (Asia/Shanghai by default)."""
    return timezone.localdate()
