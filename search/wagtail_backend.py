"""Wagtail's own database search backend, taught to segment Chinese.

Editors search pages in the admin through Wagtail's backend, which splits text
on spaces only, so 党建 inside 区域化党建工作 was never found. This backend is
Wagtail's (SQLite FTS5 or PostgreSQL, whichever the database is) with two
changes: indexed values are segmented like the archive index, and so are query
strings. Configured as ``WAGTAILSEARCH_BACKENDS["default"]`` when
``SEARCH_BACKEND=database``; after switching an existing site to it, run
``manage.py update_index`` once.
"""

from importlib import import_module
from types import FunctionType

from django.db import connection
from modelsearch.backends.database import SearchBackend as vendor_backend
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.query import PlainText

from .segment import index_text, wagtail_query

VENDOR_MODULES = {
    "sqlite": "modelsearch.backends.database.sqlite.sqlite",
    "postgresql": "modelsearch.backends.database.postgres.postgres",
}


def _segmenting_index(index_class, module):
    """A subclass of the vendor's index class whose ``add_items`` segments values.

    ``add_items`` builds the module's ``ObjectIndexer`` by its global name, and
    ``ObjectIndexer.prepare_field`` is where each value is produced. Rather than
    replace that global for every user of the module (stock Wagtail, measured
    beside us, must stay stock), ``add_items`` is rebound to globals in which
    the name points at a segmenting subclass.
    """

    class SegmentingObjectIndexer(module.ObjectIndexer):
        def prepare_field(self, obj, field):
            # The vendor's title, body and autocomplete each walk every search field of
            # the object, so without this each value would be read (a query for related
            # fields such as tags) and segmented three times. Kept per indexer, which
            # lives for one object of one add_items call.
            if obj is not self.obj:
                yield from self._prepare_field(obj, field)
                return
            memo = self.__dict__.setdefault("_prepared", {})
            if id(field) not in memo:
                memo[id(field)] = (field, list(self._prepare_field(obj, field)))
            yield from memo[id(field)][1]

        def _prepare_field(self, obj, field):
            for item in super().prepare_field(obj, field):
                # Related fields recurse into this method; segment leaves only once.
                if isinstance(field, SearchField | AutocompleteField):
                    item = (*item[:-1], index_text(item[-1]))
                yield item

    original = index_class.add_items
    add_items = FunctionType(
        original.__code__,
        {**original.__globals__, "ObjectIndexer": SegmentingObjectIndexer},
        original.__name__,
        original.__defaults__,
        original.__closure__,
    )
    return type(f"Chinese{index_class.__name__}", (index_class,), {"add_items": add_items})


def segment_query(query):
    """Segment a query string, or the text of the PlainText query the admin parses."""
    if isinstance(query, str):
        return wagtail_query(query)
    if isinstance(query, PlainText):
        return PlainText(wagtail_query(query.query_string), operator=query.operator,
                         boost=query.boost)  # fmt: skip
    return query


class SegmentedQueries:
    def search(self, query, *args, **kwargs):
        return super().search(segment_query(query), *args, **kwargs)

    def autocomplete(self, query, *args, **kwargs):
        return super().autocomplete(segment_query(query), *args, **kwargs)


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = vendor_backend(params)
    module_name = VENDOR_MODULES.get(connection.vendor)
    if module_name is None or type(backend).__module__ != module_name:
        return backend  # MySQL or the non-FTS fallback: left as Wagtail made it
    vendor = type(backend)
    index_class = _segmenting_index(vendor.index_class, import_module(module_name))
    cls = type(
        f"Chinese{vendor.__name__}", (SegmentedQueries, vendor), {"index_class": index_class}
    )
    return cls(params)
