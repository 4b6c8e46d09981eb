"""Settings of the web server that tests/production/test_sqlite_concurrency.py starts on a
file SQLite database: the test settings, with the registration forms' per-address limit
lifted (every writer posts from 127.0.0.1)."""

from gongjian_site.settings.test import *  # noqa: F403

REGISTRATIONS_RATE_LIMIT = (100_000, 600)
