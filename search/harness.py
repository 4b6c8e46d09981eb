"""Feeding the index directly and asking stock Wagtail the same questions.

Used by the benchmark and the relevance evaluation: documents of the shape pages
produce go straight into the index (creating 100,000 pages would measure page
creation, not search), and a proxy of the document model is indexed by Wagtail's
own database backend so both answer over exactly the same text.
"""

from datetime import date
from functools import cache

from .documents import token_fields
from .models import SearchDocument
from .store import store


def make_document(record):
    """An unsaved SearchDocument from an archive record (the import_archive shape)."""
    when = record.get("date")
    if isinstance(when, str) and when:
        when = date.fromisoformat(when)
    unit = record.get("unit", "")
    parts = [p for p in unit.split("/") if p]
    document = SearchDocument(
        doc_type=record.get("type", "activity"),
        source_id=str(record.get("id", "")),
        title=record["title"],
        body=record.get("body", ""),
        date=when or None,
        year=when.year if when else None,
        district=parts[0] if len(parts) > 0 else "",
        street=parts[1] if len(parts) > 1 else "",
        community=parts[2] if len(parts) > 2 else "",
        unit=parts[-1] if parts else "",
        org_titles="/".join(parts) + "/" if parts else "",
        tag_list=SearchDocument.join_tags(record.get("tags", [])),
        **token_fields(
            record.get("type", "activity"),
            record["title"],
            record.get("body", ""),
            [*record.get("tags", []), record.get("kind", "")],
            "/".join(parts),
            when or None,
        ),
    )
    return document


def feed(records, chunk=1000):
    """Segment and store ``records``; returns the saved documents."""
    saved = []
    batch = []
    for record in records:
        batch.append(make_document(record))
        if len(batch) >= chunk:
            saved += _store(batch)
            batch = []
    if batch:
        saved += _store(batch)
    return saved


def _store(documents):
    return store(documents)


@cache
def stock_model():
    """A proxy of SearchDocument that stock Wagtail indexes with its own tokenizer.

    Declared on demand, after the app registry is ready, so Wagtail's signal
    handlers (connected at start-up) never index it behind the application's back.
    """
    from wagtail.search import index

    class StockIndexedDocument(index.Indexed, SearchDocument):
        search_fields = [index.SearchField("title", boost=8), index.SearchField("body")]

        class Meta:
            proxy = True
            app_label = "search"

    # Wagtail adds this relation to indexed models when the app registry is
    # ready; a model declared later needs it added the same way.
    from modelsearch.abstract_models import TextIDGenericRelation
    from wagtail.search.models import IndexEntry

    TextIDGenericRelation(IndexEntry).contribute_to_class(StockIndexedDocument, "index_entries")
    return StockIndexedDocument


@cache
def stock_backend():
    """Wagtail's own database backend, unmodified, whatever the site is configured with."""
    from wagtail.search.backends.database import SearchBackend

    return SearchBackend({})


def stock_index(documents):
    model = stock_model()
    backend = stock_backend()
    objects = list(model.objects.filter(pk__in=[d.pk for d in documents]))
    for start in range(0, len(objects), 1000):
        backend.add_bulk(model, objects[start : start + 1000])


def stock_search(query, limit=10):
    """Ids stock Wagtail's database backend returns for ``query``."""
    model = stock_model()
    results = stock_backend().search(query, model.objects.all())
    return [obj.pk for obj in results[:limit]]
