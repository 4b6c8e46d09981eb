"""The one source of "today" for the whole site.

Terms of appointment, agreement renewals, default record dates and the demo's
years are all compared by calendar date in the site's time zone. Every plugin asks
here rather than calling ``timezone.localdate()`` itself, so tests move the date by
replacing :func:`today` in one place (``monkeypatch.setattr(clock, "today", ...)``).
It lives in the core because no plugin owns time: it used to sit in ``access``,
which made every plugin that needs a date depend on the permissions plugin.
"""

from django.utils import timezone


def today():
    """The current local date (Asia/Shanghai by default)."""
    return timezone.localdate()
