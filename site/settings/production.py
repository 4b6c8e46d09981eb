"""Production: PostgreSQL, Redis and Elasticsearch come from the environment.

Refuses to start without SECRET_KEY and with DEBUG on. The HTTPS settings make
``manage.py check --deploy`` clean; behind a TLS-terminating proxy set
BEHIND_TLS_PROXY=true so Django trusts its X-Forwarded-Proto header.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BEHIND_TLS_PROXY, SECURE_HSTS_SECONDS_DEFAULT, SECURE_SSL_REDIRECT_DEFAULT

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production")
if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("DEBUG must be off in production")

SECURE_SSL_REDIRECT = SECURE_SSL_REDIRECT_DEFAULT
SECURE_HSTS_SECONDS = SECURE_HSTS_SECONDS_DEFAULT
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Wagtail sets SAMEORIGIN on its own preview views, so everything else can refuse frames.
X_FRAME_OPTIONS = "DENY"
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
