"""Faults: the database unreachable gives a friendly 503 and recovers; Redis down is logged.

The database outage is real, not mocked: the request runs on a connection to a database
that cannot be reached (a closed port on PostgreSQL, a path in a missing folder on SQLite).
The machine's PostgreSQL is never stopped; other people use it.
"""

import logging
import socket
import uuid

import pytest
from django.core.cache import cache
from django.db import connections
from django.db.utils import load_backend
from django.test import Client, RequestFactory, override_settings

from gongjian_site.faults import server_error
from plugins.orgs.models import CityPage


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nobody listens once the probe is closed


def unreachable_database(original):
    params = dict(original.settings_dict)
    if original.vendor == "sqlite":
        params["NAME"] = "/nonexistent-gongjian-folder/gongjian.sqlite3"
    else:
        params.update(HOST="127.0.0.1", PORT=closed_port())
    return load_backend(params["ENGINE"]).DatabaseWrapper(params, original.alias)


@pytest.fixture
def database_down():
    """Swap the default connection for one that cannot connect; swap back afterwards."""
    original = connections["default"]
    broken = unreachable_database(original)
    connections["default"] = broken
    yield
    connections["default"] = original
    broken.close()


@pytest.mark.django_db
def test_an_unreachable_database_answers_a_friendly_503_and_recovers(demo, caplog):
    url = CityPage.objects.get().url
    client = Client(raise_request_exception=False)
    assert client.get(url).status_code == 200

    original = connections["default"]
    connections["default"] = unreachable_database(original)
    try:
        with caplog.at_level(logging.ERROR, logger="gongjian.faults"):
            response = client.get(url)
    finally:
        connections["default"].close()
        connections["default"] = original

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "系统暂时无法访问" in html and "Traceback" not in html
    assert "Database unavailable" in caplog.text

    # The database is back: the next request is served normally.
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_admin_login_also_answers_503(database_down):
    response = Client(raise_request_exception=False).post(
        "/admin/login/", {"username": "admin", "password": "x"}
    )
    assert response.status_code == 503


def test_other_crashes_stay_a_plain_500():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "页面出错了" in response.content.decode()


def redis_cache(port, prefix):
    return {
        "default": {
            "BACKEND": "gongjian_site.faults.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.mark.django_db
def test_redis_down_is_logged_not_raised_and_pages_still_serve(demo, caplog):
    url = CityPage.objects.get().url
    with override_settings(CACHES=redis_cache(closed_port(), "down")):
        with caplog.at_level(logging.WARNING, logger="gongjian.faults"):
            cache.set("key", "value")
            assert cache.get("key", "missing") == "missing"
            assert cache.get_many(["a", "b"]) == {}
            assert cache.add("key", "value") is False
            assert cache.get_or_set("computed", lambda: 42) == 42
            cache.delete("key")
            response = Client().get(url)
        assert response.status_code == 200
    assert "Cache get failed" in caplog.text and "Cache set failed" in caplog.text


def test_django_s_own_redis_backend_would_raise():
    """Why the tolerant subclass exists."""
    import redis

    settings = redis_cache(closed_port(), "raw")
    settings["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
    with override_settings(CACHES=settings), pytest.raises(redis.exceptions.ConnectionError):
        cache.get("key")


def test_the_tolerant_cache_works_against_the_real_redis():
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 6379)) != 0:
            pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"gongjian-test-{uuid.uuid4().hex}"
    with override_settings(CACHES=redis_cache(6379, prefix)):
        cache.set("key", "值", 30)
        assert cache.get("key") == "值"
        cache.delete("key")
        assert cache.get("key") is None
