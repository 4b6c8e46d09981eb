"""With Elasticsearch unreachable, search answers from the database and says so in the log."""

import logging

import pytest

from search import service
from search.backends import _backend, get_backend
from search.models import SearchDocument
from search.query import SearchRequest

#: Nothing listens on the discard port: connections are refused at once.
DEAD_CLUSTER = "http://127.0.0.1:9"


@pytest.fixture
def dead_cluster(settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = DEAD_CLUSTER
    _backend.cache_clear()
    yield get_backend()
    _backend.cache_clear()


@pytest.mark.django_db
def test_search_falls_back_to_the_database(publish_text, dead_cluster, caplog):
    publish_text("网格议事会", "楼栋党小组开展区域化党建议事")
    request = SearchRequest(q="党建议事")
    expected, _ = service.run(request, backend=get_backend("database"))
    assert expected.total >= 1

    with caplog.at_level(logging.WARNING):
        response, _ = service.run(request)
    assert response.backend == "database"
    assert [h.document.page_id for h in response.results] == [
        h.document.page_id for h in expected.results
    ]
    assert "unavailable" in caplog.text and DEAD_CLUSTER in caplog.text
    # The dead cluster is not asked again at once: the next search goes straight on.
    assert not dead_cluster.available
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="search.backends.elasticsearch"):
        again, _ = service.run(request)
    assert again.total == expected.total
    assert caplog.records == []


@pytest.mark.django_db
def test_publishing_with_the_cluster_down_keeps_the_page_and_its_document(
    publish_text, dead_cluster, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        page = publish_text("党群微家开放日", "党群微家邀请居民共建")
    page.refresh_from_db()
    assert page.live
    assert SearchDocument.objects.filter(page_id=page.pk).exists()
    assert "rebuild_search_index" in caplog.text
