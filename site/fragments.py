"""Parts of public pages kept rendered between requests, cleared as cached pages are.

With the page cache off, or on a first visit, a page still renders everything: its
organisation's committee, children, recent activities, 栏目 links and the plugins'
sections cost about thirty queries and most of its time (issue 19), though they change
only when content does. So the part of a page that is the same for every anonymous
reader (``{% cached_fragment %}`` around ``{% block content %}`` in each theme's
base.html) is kept rendered, per host, theme, display mode and URL; the frame around it
(the display switch, the CSRF-bearing header forms, breadcrumbs) renders as before.

A fragment is cleared exactly as a cached page is (``pagecache``): it records its tags
(its page, the pages above it, every table read while it rendered) and is served only
while none of them was renewed after it began to render; ``gongjian_site.changes``, the
one mechanism every change of content goes through, renews them. A fragment served
from the cache hands its tags to the page cache, so a page cached around it is cleared
with it. Site-wide fragments (the filing footer) key by host only.

Only for anonymous readers of a page (or public view) the page cache would keep:
never for a page under a view restriction, never when the fragment holds a CSRF token.
``FRAGMENT_CACHE_SECONDS`` bounds an entry's life; 0 turns fragments off.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.safestring import mark_safe

from . import pagecache
from .accessibility import mode_key

logger = logging.getLogger("gongjian.fragments")

CSRF_MARK = "csrfmiddlewaretoken"


def seconds():
    return getattr(settings, "FRAGMENT_CACHE_SECONDS", 0)


def cacheable(request):
    """May fragments of this response be kept for (and served to) every reader? Only
    for anonymous GETs of a page or view the page cache marked as public."""
    return (
        seconds() > 0
        and request is not None
        and request.method == "GET"
        and getattr(request, "_gongjian_cacheable", False)
        and not request.user.is_authenticated
    )


def fragment_key(request, name, per_page=True):
    parts = [request.get_host(), getattr(request, "theme", ""), mode_key(request), name]
    if per_page:
        parts.append(request.get_full_path())
    digest = hashlib.md5("|".join(parts).encode(), usedforsecurity=False)
    return "gongjian:frag:" + digest.hexdigest()


def _recorder(tags):
    def record(execute, sql, params, many, context):
        for table in pagecache.TABLE_PATTERN.findall(sql):
            if table not in pagecache.UNTRACKED_TABLES:
                tags.add(pagecache.table_tag(table))
        return execute(sql, params, many, context)

    return record


def _hand_to_page(request, tags):
    page_tags = getattr(request, "_gongjian_tags", None)
    if page_tags is not None:
        page_tags.update(tags)


def fragment(request, name, render, per_page=True):
    """The HTML ``render()`` gives, kept under ``name`` for this page (or, without
    ``per_page``, for the whole site) until one of the tags it recorded is renewed."""
    shared = seconds() > 0 and request is not None  # the same for every reader
    if not (cacheable(request) if per_page else shared):
        return render()
    key = fragment_key(request, name, per_page)
    try:
        entry = pagecache.valid_entry(key)
    except Exception:  # a cache outage must never break a page
        logger.exception("fragment cache: read failed")
        return render()
    if entry is not None:
        _hand_to_page(request, entry[1])
        return mark_safe(entry[2])
    started = time.time_ns()
    tags = set(getattr(request, "_gongjian_page_tags", ())) if per_page else set()
    with connection.execute_wrapper(_recorder(tags)):
        html = render()
    if CSRF_MARK not in html:
        try:
            cache.set(key, (started, tuple(sorted(tags)), str(html)), seconds())
        except Exception:
            logger.exception("fragment cache: write failed")
    return html
