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

How it is cleared: each cached response records what it displayed, as tags:

- ``s:<path>``: the page itself (a change of a page below it clears it: it lists them);
- ``p:<path>`` for the page and every page above it (a change of any of them, or of
  its place in the tree, clears it: breadcrumbs, inherited names, restrictions);
- ``t:<table>`` for every table read while the page rendered, after routing (a
  listing of activities reads the activities' table: any activity published, changed
  or removed anywhere clears it);
- ``*``: everything (sites, themes, view restrictions).

Each tag has a time stamp of its last renewal; a cached response is served only when
none of its tags was renewed after it began to render. ``gongjian_site.changes`` renews
them for every change of content; nothing else does. ``PAGE_CACHE_SECONDS`` bounds the
life of an entry; 0 turns the cache off.
"""

import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse

from .accessibility import mode_key
from .security import is_admin_path

logger = logging.getLogger("gongjian.pagecache")

GLOBAL_TAG = "*"
HEADER = "X-Page-Cache"
SKIP_HEADERS = {"set-cookie", "content-length", HEADER.lower()}
# Tables a page response reads that say nothing about what it shows: the page tree
# itself (covered by the page tags) and routing.
UNTRACKED_TABLES = {"wagtailcore_page", "wagtailcore_site", "wagtailcore_locale"}
TABLE_PATTERN = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


def _tag_key(tag):
    return "gongjian:ptag:" + hashlib.md5(tag.encode(), usedforsecurity=False).hexdigest()


def table_tag(table):
    return "t:" + table


def page_tags(page, listings=True):
    """The tags a change of ``page`` renews: its own and its subtree's responses, the
    pages above it (they list it) and, with ``listings``, every response that read a
    table of its type."""
    step = page.steplen
    tags = {"p:" + page.path}
    tags |= {"s:" + page.path[:end] for end in range(step, len(page.path), step)}
    if listings:
        model = page.specific_class or type(page)
        for parent in [model, *model._meta.get_parent_list()]:
            if parent._meta.db_table not in UNTRACKED_TABLES:
                tags.add(table_tag(parent._meta.db_table))
    return tags


def renew(tags):
    """Forget every cached response carrying one of ``tags``. Only
    ``gongjian_site.changes`` calls it.

    A renewal matters only while a response rendered before it may still be cached, so
    it lives as long as an entry (and costs nothing when the cache is off): tags of
    every page ever changed would otherwise pile up, and push cached pages out of a
    size-bounded cache such as local memory's."""
    seconds = max(settings.PAGE_CACHE_SECONDS, getattr(settings, "FRAGMENT_CACHE_SECONDS", 0))
    if seconds <= 0:
        return
    stamp = time.time_ns()
    try:
        cache.set_many({_tag_key(tag): stamp for tag in tags}, seconds + 60)
    except Exception:  # a cache outage must never break publishing
        logger.exception("page cache: could not clear %s", sorted(tags))


def entry_key(host, theme, full_path, display=""):
    """The cache key of one response: per host, theme, URL with its query string and the
    reader's display mode (大字/高对比, gongjian_site.accessibility)."""
    variant = f"{theme}|{display}" if display else theme
    digest = hashlib.md5(f"{host}|{variant}|{full_path}".encode(), usedforsecurity=False)
    return f"gongjian:page:{digest.hexdigest()}"


def valid_entry(key):
    """``(started, tags, status, headers, content)`` of the response cached under
    ``key`` when none of its tags was renewed after it began to render, else None."""
    entry = cache.get(key)
    if entry is None:
        return None
    started, tags = entry[0], entry[1]
    stamps = cache.get_many([_tag_key(tag) for tag in (*tags, GLOBAL_TAG)])
    if any(stamp >= started for stamp in stamps.values()):
        return None
    return entry


def mark_cacheable(request, page):
    """Called before a page is served: may this response be kept for every anonymous
    reader? Not when the page or a page above it has a view restriction (a reader who
    typed the password would otherwise publish it), and not for aliases (their
    restrictions live on the original). One query, only for anonymous readers. From
    here on, the tables the page reads are recorded as its tags."""
    from wagtail.models import PageViewRestriction

    if request.user.is_authenticated or page.alias_of_id:
        return
    step = page.steplen
    paths = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    request._gongjian_cacheable = not PageViewRestriction.objects.filter(
        page__path__in=paths
    ).exists()
    if request._gongjian_cacheable:
        _mark_tags(request, {"s:" + page.path} | {"p:" + path for path in paths})
        # Known now: no restriction applies (an alias's ancestors are aliases too, so
        # the chain checked is the one Wagtail would check). Wagtail's check and the
        # Reader pass-through (plugins/access) ask again, two queries each: answer them.
        page.get_view_restrictions = PageViewRestriction.objects.none


def _mark_tags(request, tags):
    # What the response shows so far; the fragments of the page (fragments.py) start
    # from the same tags.
    request._gongjian_page_tags = frozenset(tags)
    request._gongjian_tags = set(tags)


def mark_view_cacheable(request, *pages):
    """A public view that is not a page (a community's 公示 board, the statistics) may be
    kept like a page for anonymous readers: it shows ``pages`` (and what lies below
    them) and the tables it reads, and is cleared when any of them changes. The caller
    makes sure no page shown has a view restriction (``.public()``)."""
    if request.user.is_authenticated:
        return
    tags = set()
    for page in pages:
        step = page.steplen
        tags.add("s:" + page.path)
        tags |= {"p:" + page.path[:end] for end in range(step, len(page.path) + 1, step)}
    request._gongjian_cacheable = True
    _mark_tags(request, tags)


def _recorder(request):
    """A database execute wrapper adding each table a page reads to its tags."""

    def record(execute, sql, params, many, context):
        tags = getattr(request, "_gongjian_tags", None)
        if tags is not None:
            for table in TABLE_PATTERN.findall(sql):
                if table not in UNTRACKED_TABLES:
                    tags.add(table_tag(table))
        return execute(sql, params, many, context)

    return record


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

        started = time.time_ns()
        with connection.execute_wrapper(_recorder(request)):
            response = self.get_response(request)
        if key and self._cacheable(request, response):
            self._set(key, response, seconds, started, request._gongjian_tags)
            response[HEADER] = "miss"
        return response

    def _key(self, request):
        return entry_key(
            request.get_host(),
            getattr(request, "theme", ""),
            request.get_full_path(),
            mode_key(request),
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
        """The cached response, if none of its tags was renewed since it was rendered."""
        try:
            entry = valid_entry(key)
        except Exception:
            logger.exception("page cache: read failed")
            return None
        return entry[2:] if entry else None

    def _set(self, key, response, seconds, started, tags):
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        headers = [(k, v) for k, v in response.items() if k.lower() not in SKIP_HEADERS]
        entry = (started, tuple(sorted(tags)), response.status_code, headers, response.content)
        try:
            cache.set(key, entry, seconds)
        except Exception:
            logger.exception("page cache: write failed")

    def _response(self, cached):
        status, headers, content = cached
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[HEADER] = "hit"
        return response


def drift(site):
    """Cached responses of ``site``'s pages that no longer match their page: kept for a
    page that is unpublished or private now, or rendered before the page's last
    publication. Looks up each page's address without a query string, as served to
    the site's own host and theme (other hosts and query strings are not listed).
    Returns the pages concerned."""
    from django.test import RequestFactory
    from wagtail.models import Page, PageViewRestriction

    from .themes import site_theme_for_request

    host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
    theme = site_theme_for_request(RequestFactory(HTTP_HOST=host).get("/"))
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    found = []
    for page in Page.objects.descendant_of(site.root_page, inclusive=True).specific():
        path = page.relative_url(site)
        entry = valid_entry(entry_key(host, theme, path)) if path else None
        if entry is None:
            continue
        published = page.last_published_at.timestamp() * 1e9 if page.last_published_at else 0
        private = any(page.path.startswith(prefix) for prefix in restricted)
        if not page.live or private or entry[0] < published:
            found.append(page)
    return found
