"""Moved to ``gongjian_site.clock``; kept only until the last two importers move."""

from gongjian_site import clock as _clock


def today():
    return _clock.today()
