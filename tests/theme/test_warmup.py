"""The warm-up wsgi.py runs at start (gongjian_site.warmup): every page type of the site
and a search answer, and the first reader afterwards finds the parts kept."""

from urllib.parse import unquote

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from gongjian_site.warmup import warm_up
from plugins.activities.models import ActivityPage
from plugins.cases.models import CaseIndexPage
from plugins.orgs.models import CommunityPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 600


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: a request through the real handler would close the
    test's database connection (PostgreSQL) at its end."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_the_warm_up_serves_every_page_type_and_keeps_their_parts(client, demo):
    answers = warm_up(WSGIHandler(), close=False)
    paths = {path for _host, path in answers}
    assert set(answers.values()) == {"200 OK"}, answers
    assert "/" in paths and any(path.startswith("/search/") for path in paths)
    # one page of each type, not every page
    types = {
        CommunityPage: CommunityPage.objects.live(),
        ActivityPage: ActivityPage.objects.live(),
        CaseIndexPage: CaseIndexPage.objects.live(),
    }
    for model, pages in types.items():
        urls = {unquote(page.url) for page in pages}
        assert len(urls & paths) == 1, model
    # the first reader of a warmed page finds its content kept
    warmed = next(p for p in CommunityPage.objects.live() if unquote(p.url) in paths)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(warmed.url, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert len(queries) <= 6, [q["sql"] for q in queries]


def test_the_warm_up_can_be_turned_off(monkeypatch, demo):
    monkeypatch.setenv("GONGJIAN_WARM_UP", "false")
    assert warm_up(WSGIHandler(), close=False) == {}


def test_each_gunicorn_worker_serves_the_home_page_before_its_first_reader(demo):
    """gunicorn calls the config's post_worker_init in every forked worker; it serves
    each site's home page through the worker's application."""
    from types import SimpleNamespace

    from wagtail.models import Site

    from gongjian_site import gunicorn_conf, warmup

    served = []
    handler = WSGIHandler()

    def application(environ, start_response):
        served.append((environ["HTTP_HOST"], environ["PATH_INFO"]))
        return handler(environ, start_response)

    gunicorn_conf.post_worker_init(SimpleNamespace(wsgi=application))
    assert [path for _host, path in served] == ["/"] * Site.objects.count()
    answers = warmup.warm_worker(handler)
    assert set(answers.values()) == {"200 OK"}, answers
