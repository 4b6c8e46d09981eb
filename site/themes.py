"""Themes: which folder under ``themes/`` dresses the current request.

A theme is templates and static files only (``themes/<name>/templates/``,
``themes/<name>/static/``). The active one is the ``THEME`` setting, overridden per
Wagtail Site by the 站点外观 site setting (``gongjian_site.models.AppearanceSettings``).

Why a template loader and not one template Engine per theme: Wagtail's page serving,
inclusion tags, ``render_to_string`` in plugins, the search view and error pages all
find templates through Django's one default engine, by name. A loader that asks "which
theme is this request in?" serves every one of those paths without touching them; a
per-theme Engine would have to be threaded through each call. The theme travels in a
context variable (thread- and task-local) that ``ThemeMiddleware`` sets for the
duration of a request; outside a request (commands, mails, exports) it is ``THEME``.
The cached loader keys its cache by theme as well, so switching a site's theme takes
effect on the next request, with no restart and no stale template.
"""

from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.template.loaders import cached, filesystem
from django.templatetags.static import static

_current_theme = ContextVar("gongjian_theme", default=None)

# Bumped whenever a site's appearance or the sites themselves change (see signals).
THEME_GENERATION_KEY = "gongjian:theme-generation"


def themes_dir():
    return settings.BASE_DIR / "themes"


@lru_cache(maxsize=1)
def _scan(path):
    return tuple(sorted(child.name for child in path.iterdir() if (child / "templates").is_dir()))


def available_themes():
    """Names of the folders under themes/ that hold a templates/ folder."""
    return _scan(themes_dir())


def theme_choices():
    """Choices for the site setting: the themes on disk (read when the form is built)."""
    labels = {"default": "默认（党建红）", "simple": "简洁（便于打印）"}
    return [(name, labels.get(name, name)) for name in available_themes()]


def current_theme():
    """The theme of the request being served, else the THEME setting."""
    return _current_theme.get() or settings.THEME


def activate(name):
    """Make ``name`` the current theme; returns a token for ``deactivate``."""
    return _current_theme.set(name)


def deactivate(token):
    _current_theme.reset(token)


def theme_static_url(path):
    """URL of ``path`` in the current theme's static files (collected as <theme>/<path>)."""
    return static(f"{current_theme()}/{path}")


class ThemeLoader(filesystem.Loader):
    """Looks in themes/<current theme>/templates/, then in the default theme's: a theme
    overrides only what it restyles (the simple theme is mostly base.html and CSS)."""

    def get_dirs(self):
        names = dict.fromkeys([current_theme(), "default"])
        return [themes_dir() / name / "templates" for name in names]


class CachedThemeLoader(cached.Loader):
    """Django's cached loader, its cache keyed by theme too (the same template name is a
    different file in each theme)."""

    def cache_key(self, template_name, skip=None):
        return f"{current_theme()}:{super().cache_key(template_name, skip)}"


def site_theme_for_request(request):
    """The theme of the Wagtail Site serving ``request`` (cached per host; the cache is
    invalidated by bumping THEME_GENERATION_KEY when appearance settings or sites change)."""
    host = request.get_host()
    generation = cache.get(THEME_GENERATION_KEY, 0)
    key = f"gongjian:theme:{generation}:{host}"
    theme = cache.get(key)
    if theme is None:
        theme = _lookup_site_theme(request)
        cache.set(key, theme, 3600)
    return theme


def _lookup_site_theme(request):
    from wagtail.models import Site

    from .models import AppearanceSettings

    try:
        site = Site.find_for_request(request)
    except Exception:  # a bad Host header must not break the theme
        site = None
    theme = ""
    if site is not None:
        # Not for_site(): that creates a row on first use, a write on a GET.
        theme = AppearanceSettings.objects.filter(site=site).values_list("theme", flat=True).first()
    return theme if theme in available_themes() else settings.THEME


def bump_theme_generation():
    try:
        cache.incr(THEME_GENERATION_KEY)
    except ValueError:
        cache.set(THEME_GENERATION_KEY, 1, None)


class ThemeMiddleware:
    """Sets the current theme for the public site; the admin keeps THEME (it uses no
    theme templates, and needs no cache lookup)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .security import is_admin_path

        if is_admin_path(request.path_info):
            theme = settings.THEME
        else:
            theme = site_theme_for_request(request)
        request.theme = theme
        token = activate(theme)
        try:
            # TemplateResponses are rendered inside get_response, so in this theme.
            return self.get_response(request)
        finally:
            deactivate(token)
