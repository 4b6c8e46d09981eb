"""Whole-response cache of public pages for anonymous readers.

Most readers arrive anonymously from a WeChat link, so a page is rendered once and then
served from the cache (Redis with REDIS_URL, local memory otherwise) until something on
it changes. Why not wagtail-cache: its releases track older Wagtail majors and it keys
by URL only, while here the theme (chosen per site, switchable at run time) must be part
of the key; the rules below are short enough to own.

What is cached: a GET by an anonymous user of a Wagtail page (marked by the
``before_serve_page`` hook in wagtail_hooks.py), answered 200 with HTML, without
cookies, without a CSRF token in it, on a page without a view restriction. Logged-in
users, POSTs, the admin, the search view and downloads are never cached.

How it is cleared: each key carries a generation per URL path (and one global
generation). On publish, unpublish, delete and move of a page the generations of its
path and of every path above it (its ancestors, up to the home page) are renewed, so
every cached variant of those paths (``?page=2`` …) is gone at once; on a move, the old
paths of the moved subtree too. Site, appearance and view-restriction changes renew the
global generation. Records that are not pages but show on pages (awards, the three
lists) clear their pages through ``purge_when_changed``. ``PAGE_CACHE_SECONDS`` bounds
how stale anything else (a page that lists pages elsewhere) can be; 0 turns it off.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse

from .security import is_admin_path

logger = logging.getLogger("gongjian.pagecache")

GLOBAL_KEY = "gongjian:pgen:*"
HEADER = "X-Page-Cache"
SKIP_HEADERS = {"set-cookie", "content-length", HEADER.lower()}


def _path_key(path):
    return "gongjian:pgen:" + hashlib.md5(path.encode(), usedforsecurity=False).hexdigest()


def _renew(keys):
    stamp = time.time_ns()
    try:
        cache.set_many(dict.fromkeys(keys, stamp), None)
    except Exception:  # a cache outage must never break publishing
        logger.exception("page cache: could not clear %s", keys)


def purge_all():
    """Forget every cached page (all sites, all themes)."""
    _renew([GLOBAL_KEY])


def purge_paths(paths):
    """Forget every cached variant of these request paths (e.g. '/xingfuli/')."""
    _renew([_path_key(path) for path in set(paths)])


def request_paths(url_path):
    """The request paths, under every site, of the page at ``url_path`` and of its
    ancestors: '/jiangan/xingfuli/a/' under a site rooted at '/jiangan/' gives
    '/', '/xingfuli/', '/xingfuli/a/'."""
    from wagtail.models import Site

    paths = set()
    for root in Site.get_site_root_paths():
        if not url_path.startswith(root.root_path):
            continue
        relative = url_path[len(root.root_path) :]
        parts = [part for part in relative.split("/") if part]
        paths.add("/")
        for depth in range(1, len(parts) + 1):
            paths.add("/" + "/".join(parts[:depth]) + "/")
    return paths


def purge_page(url_path):
    """Forget the page at ``url_path`` and every page above it."""
    if url_path:
        purge_paths(request_paths(url_path))


def purge_when_changed(model, pages_of):
    """Keep the pages that show ``model``'s rows fresh: after a row is saved or deleted,
    forget the pages ``pages_of(row)`` returns (Page objects; None is skipped) and the
    pages above them.

    Publishing clears a page's own content; this is for what a page shows from records
    that are not pages (an honour on a unit's page, open needs in the home page's
    section), which would otherwise stay stale for up to ``PAGE_CACHE_SECONDS``. A
    plugin calls it from its AppConfig.ready() for each such model."""

    def changed(sender, instance, raw=False, **kwargs):
        if raw:
            # loaddata (a restore): the rows a record names may not be loaded yet.
            return
        # On a cascade (a community page deleted with its needs) the records go
        # first, while the page they name is still there to be read.
        for page in pages_of(instance):
            if page is not None:
                purge_page(page.url_path)

    uid = f"gongjian-pagecache-{model._meta.label_lower}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


def mark_cacheable(request, page):
    """Called before a page is served: may this response be kept for every anonymous
    reader? Not when the page or a page above it has a view restriction (a reader who
    typed the password would otherwise publish it), and not for aliases (their
    restrictions live on the original). One query, only for anonymous readers."""
    from wagtail.models import PageViewRestriction

    if request.user.is_authenticated or page.alias_of_id:
        return
    step = page.steplen
    paths = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    request._gongjian_cacheable = not PageViewRestriction.objects.filter(
        page__path__in=paths
    ).exists()


class PageCacheMiddleware:
    """Serves and stores anonymous page responses; sits after authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if (
            seconds <= 0
            or request.method != "GET"
            or is_admin_path(request.path_info)
            or request.user.is_authenticated
        ):
            return self.get_response(request)

        key = self._key(request)
        cached = self._get(key) if key else None
        if cached is not None:
            return self._response(cached)

        response = self.get_response(request)
        if key and self._cacheable(request, response):
            self._set(key, response, seconds)
            response[HEADER] = "miss"
        return response

    def _key(self, request):
        path_key = _path_key(request.path)
        try:
            generations = cache.get_many([GLOBAL_KEY, path_key])
        except Exception:
            logger.exception("page cache: lookup failed")
            return None
        full_path = request.get_full_path()
        digest = hashlib.md5(
            f"{request.get_host()}|{getattr(request, 'theme', '')}|{full_path}".encode(),
            usedforsecurity=False,
        ).hexdigest()
        return (
            f"gongjian:page:{generations.get(GLOBAL_KEY, 0)}:"
            f"{generations.get(path_key, 0)}:{digest}"
        )

    def _cacheable(self, request, response):
        return (
            getattr(request, "_gongjian_cacheable", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and response.get("Content-Type", "").startswith("text/html")
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

    def _get(self, key):
        try:
            return cache.get(key)
        except Exception:
            logger.exception("page cache: read failed")
            return None

    def _set(self, key, response, seconds):
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        headers = [(k, v) for k, v in response.items() if k.lower() not in SKIP_HEADERS]
        try:
            cache.set(key, (response.status_code, headers, response.content), seconds)
        except Exception:
            logger.exception("page cache: write failed")

    def _response(self, cached):
        status, headers, content = cached
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[HEADER] = "hit"
        return response
