"""Shared fixtures and the test database's starting points (see ``tests/baselines.py``).

Every test that touches the database starts from a committed starting point, built once
per worker and put back between tests by rolling back the test's transaction: ``demo``
(the real `load_demo`), the lighter ones registered in the plugins' conftests, or the
empty database the migrations leave when a test asks for none of them.
"""

import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from tests import baselines


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, plus the copies of its starting points."""
    with django_db_blocker.unblock():
        copies = baselines.Baselines()
    yield copies
    with django_db_blocker.unblock():
        copies.drop()


def load_demo(stdout):
    """The demo city, accounts and content: the real `load_demo` command."""
    call_command("load_demo", stdout=stdout)


demo = baselines.baseline_fixture("demo", load_demo)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Before pytest-django opens a test's transaction (or, for a transactional test,
    lets it commit), put the database at the starting point the test asks for."""
    if fixturedef.argname != "_django_db_helper":
        return (yield)
    copies = request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        copies.ensure(baselines.wanted(request.fixturenames))
    if _transactional(request.node):
        # Registered before pytest-django's own teardown, so it runs after its flush.
        request.addfinalizer(copies.dirty)
    return (yield)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Keep pytest-django's order (plain database tests, then transactional ones, then
    the rest) and group each part by starting point, so a worker seldom restores."""
    order = list(baselines.BUILDERS)

    def key(item):
        uses_db = "_django_db_helper" in getattr(item, "fixturenames", ()) or bool(
            item.get_closest_marker("django_db")
        )
        start = baselines.wanted(getattr(item, "fixturenames", ()))
        rank = order.index(start) + 1 if start in order else 0
        return (2 if not uses_db else 1 if _transactional(item) else 0, rank)

    items.sort(key=key)


def _transactional(item):
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in names
        or "live_server" in names
    )


@pytest.fixture
def admin_client_demo(client, demo):
    """A client logged in as the demo superuser ``admin``."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def login(client, username):
    """Log ``client`` in as a demo account and return the user."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def pytest_sessionfinish(session):
    """This process's uploads (settings.test gives each process a folder of its own)."""
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def pytest_report_header(config):
    """Say which database the suite runs on, so a CI log shows both runs."""
    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or ''}".strip()
