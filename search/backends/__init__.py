"""The two archive search backends, one behaviour; chosen by ``SEARCH_BACKEND``."""

from functools import cache

from django.conf import settings


@cache
def _backend(name):
    if name == "elasticsearch":
        from .elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(settings.ELASTICSEARCH_URL)
    from .database import DatabaseBackend

    return DatabaseBackend()


def get_backend(name=None):
    """The configured backend (``database`` unless SEARCH_BACKEND says otherwise)."""
    return _backend(name or getattr(settings, "SEARCH_BACKEND", "database"))
