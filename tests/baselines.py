"""Committed starting points of the test database ("baselines"), built once per worker.

Most tests start from the demo city, and building it costs thousands of queries. So each
starting point is built once, committed, and copied aside; every ordinary test then runs
inside a transaction that pytest-django rolls back, and so starts from exactly that data.

A test says which starting point it needs by the fixture it asks for: ``demo`` (the real
`load_demo`), a lighter one registered with :func:`baseline_fixture` (``lists``,
``city``), or none of them (the empty database the migrations leave). When the next test
needs another starting point, or a transactional test has committed and flushed, the
database is put back from the copy:

- SQLite: the in-memory test database is copied page by page with SQLite's backup API
  (milliseconds; the live server thread shares the same connection, so it sees it too);
- PostgreSQL: each copy is a database made with ``CREATE DATABASE … TEMPLATE``, and
  putting it back drops the test database and creates it again from that template.

The suite is ordered by starting point (see ``tests/conftest.py``), so each worker
changes starting point only a few times a run.
"""

import io
import sqlite3
import threading
import weakref

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, connections
from django.db.backends.signals import connection_created

EMPTY = "empty"

# Fixture name -> function building that starting point on the empty database.
BUILDERS = {}


def baseline_fixture(name, builder):
    """Register ``builder(stdout)`` as the starting point ``name`` and return the fixture
    of that name (assign it to a module attribute of a conftest); its value is what the
    builder printed."""
    import pytest

    BUILDERS[name] = builder

    @pytest.fixture(name=name)
    def fixture(db, django_db_setup):
        return django_db_setup.outputs[name]

    fixture.__doc__ = builder.__doc__
    return fixture


def wanted(fixturenames):
    """The starting point a test with these fixtures needs."""
    names = [name for name in BUILDERS if name in fixturenames]
    if len(names) > 1:
        raise RuntimeError(f"a test can start from one baseline only, not {names}")
    return names[0] if names else EMPTY


class Baselines:
    """The copies of one worker's test database, and which one it holds now."""

    def __init__(self):
        self.vendor = connection.vendor
        self.copies = {}
        self.outputs = {}
        self.current = None
        # Every connection this process opens: Django keeps one per thread *and* context
        # (Playwright's sync API runs a test body in a context of its own), and
        # `connections.close_all()` reaches only the caller's.
        self.opened = weakref.WeakSet()
        connection_created.connect(self._opened, weak=False)
        self._save(EMPTY)

    def _opened(self, sender, connection, **kwargs):
        self.opened.add(connection)

    def _close_connections(self):
        """Close this thread's connections before PostgreSQL drops or copies the test
        database (the live server's threads check theirs at their next request)."""
        connections.close_all()
        for wrapper in list(self.opened):
            if wrapper._thread_ident == threading.get_ident() and wrapper.connection:
                wrapper.close()

    def ensure(self, name):
        """Make the test database hold starting point ``name`` (committed)."""
        if name == self.current:
            return
        if name not in self.copies:
            self._restore(EMPTY)
            out = io.StringIO()
            BUILDERS[name](out)
            self.outputs[name] = out.getvalue()
            self._save(name)
        else:
            self._restore(name)

    def dirty(self):
        """A transactional test committed (and flushed): the next test restores."""
        self.current = None

    def drop(self):
        connection_created.disconnect(self._opened)
        if self.vendor == "postgresql":
            self._close_connections()
            with _server() as server:
                for copy in self.copies.values():
                    server.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        else:
            for copy in self.copies.values():
                copy.close()
        self.copies = {}

    def _save(self, name):
        if self.vendor == "postgresql":
            copy = f"{connection.settings_dict['NAME']}_at_{name}"
            self._close_connections()
            with _server() as server:
                server.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
                server.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{_test_database()}"')
        else:
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.ensure_connection()
            connection.connection.backup(copy)
        self.copies[name] = copy
        self.current = name

    def _restore(self, name):
        if self.vendor == "postgresql":
            database = _test_database()
            self._close_connections()
            with _server() as server:
                server.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                server.execute(f'CREATE DATABASE "{database}" TEMPLATE "{self.copies[name]}"')
        else:
            connection.ensure_connection()
            self.copies[name].backup(connection.connection)
        # Caches that outlive a rollback would describe the previous starting point.
        cache.clear()
        ContentType.objects.clear_cache()
        self.current = name


def _test_database():
    return connection.settings_dict["NAME"]


def _server():
    """An autocommit connection to the server's maintenance database (CREATE DATABASE
    and DROP DATABASE cannot run inside a transaction or on the database they copy)."""
    import psycopg

    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)
