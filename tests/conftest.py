"""Shared fixtures: the demo city loaded once per test (inside the test's transaction)."""

import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """Load the demo city and accounts (the real `load_demo` command); returns its output."""
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


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


def pytest_report_header(config):
    """Say which database the suite runs on, so a CI log shows both runs."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or ''}".strip()
