"""Storing documents with long INSERT statements (search/store.py, issue 16's indexing
speed): every row in, keys set as bulk_create sets them, and found by the engine."""

import pytest

from search.harness import make_document
from search.models import SearchDocument
from search.query import SearchRequest
from search.service import run
from search.store import MAX_PARAMETERS, _fields, store

pytestmark = pytest.mark.django_db


def record(n):
    return {"id": f"s{n}", "type": "activity", "title": f"第{n}次垃圾分类督导",
            "body": "党员督导员在桶边指导居民分类。", "date": "2023-05-01",
            "unit": "江北区/新华街道/幸福里社区", "tags": ["垃圾分类"]}  # fmt: skip


def test_stored_documents_get_their_keys_and_are_searchable(db):
    # More rows than one statement holds, so the batches join up.
    count = MAX_PARAMETERS // len(_fields()) + 5
    documents = store(make_document(record(n)) for n in range(count))
    assert len(documents) == count
    assert all(d.pk for d in documents) and len({d.pk for d in documents}) == count
    stored = dict(SearchDocument.objects.values_list("pk", "source_id"))
    assert all(stored[d.pk] == d.source_id for d in documents)
    one = SearchDocument.objects.get(pk=documents[7].pk)
    assert one.date.isoformat() == "2023-05-01" and one.year == 2023
    assert one.title_tokens == documents[7].title_tokens
    response, _parsed = run(SearchRequest(q="垃圾分类", per_page=5))
    assert response.total == count


def test_storing_nothing_is_a_no_op(db):
    assert store([]) == []
    assert not SearchDocument.objects.exists()
