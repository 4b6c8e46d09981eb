"""The production settings, for the loopback load benchmark only.

Everything is production (DEBUG off, PostgreSQL, Redis, WhiteNoise's manifest storage)
except the Secure flag on cookies: the benchmark speaks plain HTTP on 127.0.0.1, and an
HTTP client rightly never sends a Secure cookie over plain HTTP, so editors could not log in.
"""

from gongjian_site.settings.production import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
