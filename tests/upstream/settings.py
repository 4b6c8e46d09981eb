"""Wagtail's own test settings with every Gongjian plugin installed (``make test-upstream``).

Why: our plugins change how Wagtail decides and shows things (the access plugin's page
permission policy, the workflows plugin's publish check, mails and dashboard panels,
the recycle bin's delete ...). Running Wagtail's own page-permission, explorer and
workflow tests with them installed shows where we raise what stock Wagtail does not.
Everything here is what the plugins need at run time, taken from
``gongjian_site.settings.base``; everything else stays Wagtail's (its English language,
its test apps and fixtures, its in-memory SQLite or ``DATABASE_ENGINE``/``DATABASE_NAME``),
so any difference in outcome comes from the plugins.
"""

from wagtail.test.settings import *  # noqa: F403
from wagtail.test.settings import INSTALLED_APPS, MIDDLEWARE, TEMPLATES

from gongjian_site.settings import base as ours

# Our apps first, as in the site: plugins extend the Wagtail apps after them, and the
# workflows plugin takes over Wagtail's mail receivers by coming before wagtail.admin.
GONGJIAN_PLUGINS = list(ours.GONGJIAN_PLUGINS)
OUR_APPS = ["gongjian_site", *GONGJIAN_PLUGINS, "search"]
# Apps the plugins use that Wagtail's test project does not install.
SUPPORT_APPS = ["wagtail_modeladmin", "guardian", "axes", "modelcluster"]
INSTALLED_APPS = [
    *OUR_APPS,
    *INSTALLED_APPS,
    *[app for app in SUPPORT_APPS if app not in INSTALLED_APPS],
]

# The request's theme (the plugins' public templates extend the theme's base) and the
# anonymous page cache, where the site has them: after sessions, messages and auth.
_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE = (
    *MIDDLEWARE[:_auth],
    "gongjian_site.themes.ThemeMiddleware",
    *MIDDLEWARE[_auth : _auth + 2],
    "gongjian_site.pagecache.PageCacheMiddleware",
    *MIDDLEWARE[_auth + 2 :],
)

# The access plugin's grants on single pages and records live in django-guardian.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = ours.ANONYMOUS_USER_NAME
GUARDIAN_RAISE_403 = ours.GUARDIAN_RAISE_403
# Login throttling is the site's, not a plugin's (gongjian_site's failure report needs
# the axes app installed, not enforcing).
AXES_ENABLED = False

# Theme templates (themes/<theme>/templates) first, as in the site; Wagtail's test
# engines otherwise unchanged (its context processors, its Jinja2 engine).
_django = {**TEMPLATES[0], "APP_DIRS": False}
_django["OPTIONS"] = {
    **TEMPLATES[0]["OPTIONS"],
    "loaders": [
        "gongjian_site.themes.ThemeLoader",
        "django.template.loaders.app_directories.Loader",
    ],
}
TEMPLATES = [_django, *TEMPLATES[1:]]

BASE_DIR = ours.BASE_DIR
THEME = ours.THEME
PAGE_CACHE_SECONDS = 0
SEARCH_BACKEND = "database"
ELASTICSEARCH_URL = ours.ELASTICSEARCH_URL
SITE_BASE_URL = "http://testserver"
ADMIN_URL = "admin/"
ORGS_STRICT_COMPOSITION = False
BACKUP_DIR = ours.BASE_DIR / ".test-media" / "upstream-backups"
RECYCLE_BIN_RETENTION_DAYS = ours.RECYCLE_BIN_RETENTION_DAYS
CJK_FONT_PATH = ours.CJK_FONT_PATH
LOGIN_FAILURE_LIMIT = ours.LOGIN_FAILURE_LIMIT
LOGIN_COOLOFF_MINUTES = ours.LOGIN_COOLOFF_MINUTES
SQLITE_BUSY_TIMEOUT = ours.SQLITE_BUSY_TIMEOUT
BEHIND_TLS_PROXY = False
DEFAULT_FROM_EMAIL = ours.DEFAULT_FROM_EMAIL

# The plugins' public URLs (feeds, 报到登记, 公示, search) before Wagtail's test URLs.
ROOT_URLCONF = "tests.upstream.urls"
