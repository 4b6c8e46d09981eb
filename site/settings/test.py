"""Tests: same database choice as the environment (SQLite by default, PostgreSQL
when DATABASE_URL says so), local memory cache, fast hashing, mails kept in memory."""

import atexit
import os
import shutil

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "gongjian-test-key-not-secret"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One folder per test process (each pytest-xdist worker builds its own demo, with its own
# files; runs side by side must not share one); tests/conftest.py removes it at the end.
MEDIA_ROOT = BASE_DIR / ".test-media" / str(os.getpid())  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-media" / f"{os.getpid()}-private"  # noqa: F405
# tests/conftest.py removes MEDIA_ROOT at the end; the private folder goes with the process.
atexit.register(shutil.rmtree, PRIVATE_MEDIA_ROOT, ignore_errors=True)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Login throttling off, so tests that log in many times are never locked out;
# tests/production/test_hardening.py turns it on to test it.
AXES_ENABLED = False
WHITENOISE_AUTOREFRESH = True  # no STATIC_ROOT scan (and warning) in tests
# The page cache outlives each test's rolled-back database, so it would serve one test's
# pages to the next; tests/theme turns it on where it is under test.
PAGE_CACHE_SECONDS = 0
# Kept page fragments likewise (tests/theme/test_fragments.py turns them on).
FRAGMENT_CACHE_SECONDS = 0
