"""The embedded default under concurrent writes (issue 15, item 10).

The security run posted valid registration forms from two and three clients at once
against `make run`'s SQLite file and got 7 of 18 and 10 of 27 answered 500 ("database
is locked"). Here a real multi-threaded server (Django's runserver, in its own process)
serves a copy of the demo in a file database with the project's settings, and several
writer threads post valid unit surveys at the same time: every post must succeed
and every record must be stored.
"""

import re
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from plugins.registrations.models import UnitSurvey
from plugins.registrations.validators import credit_code_check_char

WRITERS = 6
POSTS_EACH = 6
FORM = "/baodao/xingfuli/survey/"
PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="about the embedded SQLite default",
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def file_database(demo, transactional_db, tmp_path):
    """The demo, copied from the in-memory test database into a file (outside a test
    transaction, whose write lock the copy would wait for)."""
    path = tmp_path / "concurrent.sqlite3"
    target = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    return path


@pytest.fixture
def server(file_database, tmp_path):
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "tests.production.sqlite_server_settings",
        "DATABASE_URL": f"sqlite:///{file_database}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONPATH": str(PROJECT),
    }
    log = open(tmp_path / "server.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload",
         "--skip-checks"],
        cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(base + FORM, timeout=5).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
    else:
        process.terminate()
        log.seek(0)
        pytest.fail("the server did not start:\n" + log.read()[-3000:])
    yield base, file_database, log
    process.terminate()
    process.wait(timeout=20)
    log.close()


def survey(writer, n):
    """A valid unit survey (报到登记) with a credit code of its own."""
    first17 = f"91360100MA{writer:02d}{n:05d}"
    return {
        "unit_name": f"江安市并发测试{writer}号公司{n}",
        "credit_code": first17 + credit_code_check_char(first17),
        "kind": "state_firm",
        "address": f"江安市幸福里路 {writer} 号 {n} 室",
        "party_organisation": f"中共江安市并发测试{writer}号公司{n}支部委员会",
        "secretary_name": "钱进",
        "party_member_count": "12",
        "contact_name": "孙丽",
        "contact_phone": f"199 {writer:04d} {n:04d}",
        "resources": "阅览室",
    }


def post_many(base, writer):
    session = requests.Session()
    statuses = []
    for n in range(POSTS_EACH):
        page = session.get(base + FORM, timeout=60)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = session.post(
            base + FORM, data={**survey(writer, n), "csrfmiddlewaretoken": token},
            headers={"Referer": base + FORM}, allow_redirects=False, timeout=60,
        )  # fmt: skip
        statuses.append(response.status_code)
    return statuses


def test_concurrent_writers_lose_nothing_and_get_no_error(server):
    base, path, log = server
    before = (
        sqlite3.connect(path)
        .execute(f"SELECT COUNT(*) FROM {UnitSurvey._meta.db_table}")
        .fetchone()[0]
    )
    with ThreadPoolExecutor(WRITERS) as pool:
        results = list(pool.map(lambda w: post_many(base, w), range(WRITERS)))
    statuses = [status for writer in results for status in writer]
    log.seek(0)
    assert statuses == [302] * (WRITERS * POSTS_EACH), (statuses, log.read()[-3000:])
    database = sqlite3.connect(path)
    names = {
        row[0] for row in database.execute(f"SELECT unit_name FROM {UnitSurvey._meta.db_table}")
    }
    assert {survey(w, n)["unit_name"] for w in range(WRITERS) for n in range(POSTS_EACH)} <= names
    total = database.execute(f"SELECT COUNT(*) FROM {UnitSurvey._meta.db_table}")
    assert total.fetchone()[0] == before + WRITERS * POSTS_EACH
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert "database is locked" not in log.read()
