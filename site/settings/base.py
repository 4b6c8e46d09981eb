"""Settings shared by every environment.

Every deploy-time value is read from the environment here, and only here; the
dev, test and production modules adjust the defaults but read nothing new.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env(name, default=None):
    """Return the environment variable ``name``, or ``default`` when unset or empty."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default=()):
    value = env(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    value = env(name)
    try:
        return int(value) if value is not None else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


# --- Read from the environment -------------------------------------------------

SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'gongjian.sqlite3'}")
REDIS_URL = env("REDIS_URL")
CACHE_URL = env("CACHE_URL", REDIS_URL)
SEARCH_BACKEND = env("SEARCH_BACKEND", "database")
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
THEME = env("THEME", "default")
# Seconds an anonymous page response stays cached (cleared on publish anyway); 0 = off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Seconds the rendered parts of public pages stay kept (gongjian_site.fragments: same
# clearing as the page cache, and kept with the page cache off too); 0 = off.
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 600)
SITE_BASE_URL = env("SITE_BASE_URL", "http://127.0.0.1:8000")
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
# Files of images and documents in restricted collections: outside MEDIA_ROOT, so the web
# server never serves them; the private media view does, after the privacy check.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", BASE_DIR / "media-private"))
# Media on S3-compatible storage (AWS, MinIO, OSS, COS ...) when a bucket is named, so
# several application servers share the uploads; the local MEDIA_ROOT otherwise.
S3_BUCKET = env("S3_BUCKET")
S3_ENDPOINT_URL = env("S3_ENDPOINT_URL")
S3_REGION = env("S3_REGION")
S3_ACCESS_KEY_ID = env("S3_ACCESS_KEY_ID")
S3_SECRET_ACCESS_KEY = env("S3_SECRET_ACCESS_KEY")
S3_CUSTOM_DOMAIN = env("S3_CUSTOM_DOMAIN")
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "static"))
ORGS_STRICT_COMPOSITION = env_bool("ORGS_STRICT_COMPOSITION", False)
BACKUP_DIR = Path(env("BACKUP_DIR", BASE_DIR / "backups"))
RECYCLE_BIN_RETENTION_DAYS = env_int("RECYCLE_BIN_RETENTION_DAYS", 30)
# Seconds an SQLite writer waits for another to finish before giving up.
SQLITE_BUSY_TIMEOUT = env_int("SQLITE_BUSY_TIMEOUT", 20)
ADMIN_URL = env("ADMIN_URL", "admin/").strip("/") + "/"
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 30)
# A CJK font file (TTF/OTF/TTC) for PDF exports; found among Debian's fonts-noto-cjk if unset.
CJK_FONT_PATH = env("CJK_FONT_PATH")
# WeChat sharing (JS-SDK) for the official account whose JS safe domain is this site; off
# unless both are set (gongjian_site.wechat).
WECHAT_APP_ID = env("WECHAT_APP_ID", "")
WECHAT_APP_SECRET = env("WECHAT_APP_SECRET", "")

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "共建平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SECURE_SSL_REDIRECT_DEFAULT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS_DEFAULT = env_int("SECURE_HSTS_SECONDS", 31536000)
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)

# --- Derived -------------------------------------------------------------------

if PRIVATE_MEDIA_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured(
        "PRIVATE_MEDIA_ROOT must lie outside MEDIA_ROOT, which the web server serves"
    )

if SEARCH_BACKEND not in {"database", "elasticsearch"}:
    raise ImproperlyConfigured(
        f"SEARCH_BACKEND must be 'database' or 'elasticsearch', not {SEARCH_BACKEND!r}"
    )

if ADMIN_URL == "/" or not ADMIN_URL.replace("/", "").replace("-", "").replace("_", "").isalnum():
    raise ImproperlyConfigured(f"ADMIN_URL must be a path such as 'admin/', not {ADMIN_URL!r}")

# Health checks let a process recover by itself after the database restarts.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves concurrent web requests (`make run`): two clients
    # posting forms at once got "database is locked" 500s with SQLite's defaults.
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock
    # when a transaction starts, so two writers queue on the busy timeout instead of
    # failing on a lock upgrade midway (which no timeout can fix); synchronous=NORMAL
    # is the safe, faster setting for WAL. An in-memory database ignores the WAL
    # pragma, so tests are unaffected.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": SQLITE_BUSY_TIMEOUT,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

if CACHE_URL:
    CACHES = {
        "default": {
            # Logs Redis outages instead of raising them (see gongjian_site.faults).
            "BACKEND": "gongjian_site.faults.TolerantRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "gongjian",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # Sessions live in Redis with the database behind them, so a Redis outage logs
    # nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Wagtail's own index (the admin's page, image and document search) stays in the
# database whatever SEARCH_BACKEND says: it is small, it is segmented for Chinese by
# our backend, and editors can still find pages while a search cluster is down.
# SEARCH_BACKEND=elasticsearch moves the archive search (search/) to the cluster.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.wagtail_backend"}}

# --- Applications --------------------------------------------------------------

# Every plugin this code offers, listed before the apps they extend; `setup_site`
# orders their setup by the dependencies each AppConfig declares, not by this list.
AVAILABLE_PLUGINS = [
    "orgs",
    "access",
    "backup",
    "recyclebin",
    "archive",
    "activities",
    "cases",
    "compilations",
    "cobuilding",
    "meetings",
    "registrations",
    "evaluation",
    "workflows",
]
# The plugins this site runs (labels, comma-separated in the environment; all by
# default). A plugin left out takes its URLs, hooks and menus with it; one that needs
# a left-out plugin is refused at start with a message naming both
# (gongjian_site.plugins.check_dependencies).
INSTALLED_PLUGINS = env_list("INSTALLED_PLUGINS", AVAILABLE_PLUGINS)
_unknown = sorted(set(INSTALLED_PLUGINS) - set(AVAILABLE_PLUGINS))
if _unknown:
    raise ImproperlyConfigured(
        f"INSTALLED_PLUGINS 中有未知的插件 {_unknown}（可用：{', '.join(AVAILABLE_PLUGINS)}）"
        f" / INSTALLED_PLUGINS names unknown plugins {_unknown}"
    )
GONGJIAN_PLUGINS = [f"plugins.{label}" for label in AVAILABLE_PLUGINS if label in INSTALLED_PLUGINS]

INSTALLED_APPS = [
    "gongjian_site",
    *GONGJIAN_PLUGINS,
    "search",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "wagtail_modeladmin",
    "guardian",
    "axes",
    "csp",
    "rest_framework",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongjian_site.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The request's theme (site setting 站点外观, else THEME), before anything renders.
    "gongjian_site.themes.ThemeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Admin URLs whose object id cannot be an id answer 404 before their view runs.
    "gongjian_site.adminpaths.AdminPathIdMiddleware",
    # Anonymous page responses (needs the user and the theme; inside CSRF and CSP so a
    # cached page still gets fresh headers).
    "gongjian_site.pagecache.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lockout into its lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: refuses locked-out logins before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]

ROOT_URLCONF = "gongjian_site.urls"
WSGI_APPLICATION = "gongjian_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The request's theme (themes/<theme>/templates/) wins over the plugins' own
        # defaults; gongjian_site.themes explains why a loader picks it per request.
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {
            "loaders": [
                (
                    "gongjian_site.themes.CachedThemeLoader",
                    [
                        "gongjian_site.themes.ThemeLoader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if not (BASE_DIR / "themes" / THEME / "templates").is_dir():
    raise ImproperlyConfigured(f"THEME {THEME!r} has no folder themes/{THEME}/templates")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Completes and corrects Wagtail's zh_Hans catalogue; wins over every app's (README).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# Every theme's static files, collected under the theme's name ({% theme_static %}), so a
# site can switch theme at run time.
STATICFILES_DIRS = [
    (theme.name, theme / "static")
    for theme in sorted((BASE_DIR / "themes").iterdir())
    if (theme / "static").is_dir()
]
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
STORAGES = {
    # MEDIA_ROOT, and PRIVATE_MEDIA_ROOT for names under private/ (gongjian_site.storage).
    "default": {"BACKEND": "gongjian_site.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if S3_BUCKET:
    STORAGES["default"] = {
        # Private names (private/...) are served by the private media view.
        "BACKEND": "gongjian_site.storage_s3.S3MediaStorage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL,
            "region_name": S3_REGION,
            "access_key": S3_ACCESS_KEY_ID,
            "secret_key": S3_SECRET_ACCESS_KEY,
            "custom_domain": S3_CUSTOM_DOMAIN,
            # Objects stay private: documents are streamed by Wagtail's serve view (as
            # attachments), images through signed URLs unless a public domain is set.
            "default_acl": None,
            "querystring_auth": not S3_CUSTOM_DOMAIN,
            # Two servers uploading the same name must not overwrite each other.
            "file_overwrite": False,
        },
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
LOGIN_URL = "wagtailadmin_login"

WAGTAIL_SITE_NAME = "共建"
WAGTAILADMIN_BASE_URL = SITE_BASE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
# Draftail, refusing a body that is not its JSON with a form error (gongjian_site.richtext).
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "gongjian_site.richtext.RichTextArea"}}
# Uploads: no SVG (it can carry script), no HTML; documents go through Django and are
# sent as attachments, except PDF which browsers show in their own sandboxed viewer.
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "gongjian_site.forms.DocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 60_000_000
# Truncated images and image/script polyglots are refused (gongjian_site.forms.ImageForm).
WAGTAILIMAGES_IMAGE_FORM_BASE = "gongjian_site.forms.ImageForm"
# No avatars from gravatar.com: the admin's CSP allows this origin only.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILAPI_BASE_URL = SITE_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100

# Login throttling (django-axes): a username from one address is locked after
# LOGIN_FAILURE_LIMIT failures for LOGIN_COOLOFF_MINUTES; a success resets the count.
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "gongjian/lockout.html"
# One row per failure that outlives the cool-off: admin 报告 › 登录失败记录.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
if BEHIND_TLS_PROXY:
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Content-Security-Policy (django-csp); the directives live in gongjian_site.security,
# which also picks the admin's policy under ADMIN_URL.
from gongjian_site.security import PUBLIC_DIRECTIVES  # noqa: E402

CONTENT_SECURITY_POLICY = {"DIRECTIVES": PUBLIC_DIRECTIVES}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

REST_FRAMEWORK = {"DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}

# guardian: object permissions for anonymous users are never granted here.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
