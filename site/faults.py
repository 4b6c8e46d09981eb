"""Faults: a friendly 503 when the database is unreachable, a cache that survives Redis.

Django turns an exception anywhere in a request (view or middleware) into a call of
``handler500`` while the exception is still being handled, so that is the one place
that sees every database outage. It answers 503 with a static Chinese page and
Retry-After, rendered without touching the database. Connections recover by themselves:
Django drops a connection that raised, and CONN_HEALTH_CHECKS replaces a stale one.
"""

import logging
import sys

from django.core.cache.backends.redis import RedisCache
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("gongjian.faults")

DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_is_down(exc):
    """True when ``exc`` (or what caused it) says the database cannot be reached."""
    while exc is not None:
        if isinstance(exc, DATABASE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: 503 with a friendly page for database outages, else a plain 500."""
    exc = sys.exc_info()[1]
    if database_is_down(exc):
        logger.error("Database unavailable, answering 503: %s", exc)
        body = loader.get_template("gongjian/503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        return response
    body = loader.get_template("gongjian/500.html").render()
    return HttpResponseServerError(body)


def _tolerant(method_name, default=None):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(TolerantRedisCache, self), method_name)(*args, **kwargs)
        except self._errors as exc:
            logger.warning("Cache %s failed, carrying on without the cache: %s", method_name, exc)
            if callable(default):
                return default(*args, **kwargs)
            return default

    method.__name__ = method_name
    return method


def _get_default(key, default=None, *args, **kwargs):
    return default


class TolerantRedisCache(RedisCache):
    """Django's RedisCache, but a Redis outage is logged and treated as a cache miss.

    Django's backend raises on every connection error, which would turn a cache outage
    into a site outage. Reads answer "not cached", writes are dropped; the site serves
    from the database until Redis is back (the client reconnects on its own).
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        import redis

        self._errors = (redis.exceptions.RedisError, OSError)

    get = _tolerant("get", _get_default)
    set = _tolerant("set")
    add = _tolerant("add", False)
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    has_key = _tolerant("has_key", False)
    incr = _tolerant("incr", lambda key, delta=1, version=None: delta)
    get_many = _tolerant("get_many", lambda keys, *a, **k: {})
    set_many = _tolerant("set_many", lambda data, *a, **k: list(data))
    delete_many = _tolerant("delete_many")
    clear = _tolerant("clear", False)
    # get_or_set is built on get and add, which are tolerant already.
