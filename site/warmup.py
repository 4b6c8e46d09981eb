"""Work a fresh server process would otherwise leave to its first readers (issue 19).

A new gunicorn worker answered its first page about ten times slower than the next:
that request compiled the theme's templates, imported the template tag libraries,
filled Django's content type and URL caches and Wagtail's site root paths, rendered
the page's content (kept afterwards, ``gongjian_site.fragments``), and the first search
loaded the segmentation dictionary and the thesaurus. ``warm_up()`` does all of that
once, when the WSGI application is loaded (``wsgi.py``): in gunicorn's master with
``--preload`` (``scripts/run-prod.sh``), so every forked worker starts warm, or in
each worker at its start without it. It serves each site's home page, one page of
every other page type and one search to itself through the application (GETs that
write no content), then closes the database connections it opened, which forked
workers must not share.

``GONGJIAN_WARM_UP=false`` skips it. A failure is logged, never raised: a server must
start even when the database is not there yet.
"""

import logging
import os
import sys
import time
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections

logger = logging.getLogger("gongjian.warmup")

#: Besides one page of each type, what each site serves itself at start.
PATHS = ("/search/?q=%E5%85%9A%E5%BB%BA",)


def enabled():
    return os.environ.get("GONGJIAN_WARM_UP", "true").lower() not in {"0", "false", "no"}


def _environ(host, port, target):
    url = urlsplit(target)
    https = port == 443 or settings.SECURE_SSL_REDIRECT
    environ = {
        "REQUEST_METHOD": "GET",
        # PEP 3333: the path's UTF-8 bytes, as latin-1 characters
        "PATH_INFO": url.path.encode().decode("latin-1"),
        "QUERY_STRING": url.query,
        "SERVER_NAME": host,
        "SERVER_PORT": str(port),
        "HTTP_HOST": host if port in (80, 443) else f"{host}:{port}",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "https" if https else "http",
    }
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if https and proxy_header:
        environ[proxy_header[0]] = proxy_header[1]
    return environ


def _get(application, host, port, target):
    statuses = []
    body = application(
        _environ(host, port, target), lambda status, headers, *exc: statuses.append(status)
    )
    try:
        b"".join(body)
    finally:
        body.close()  # request_finished, as a server would send it
    return statuses[0] if statuses else "?"


def page_paths(site):
    """The site's home page and the first live page (in tree order) of each other page
    type below it, as paths on the site: two queries, whatever the size of the tree."""
    from django.db.models import Min
    from wagtail.models import Page

    root = site.root_page
    firsts = (
        Page.objects.live()
        .descendant_of(root)
        .order_by()  # or the default ordering would group by path too
        .values("content_type")
        .annotate(first=Min("path"))
    )
    paths = Page.objects.filter(path__in=[row["first"] for row in firsts]).order_by("path")
    return ["/"] + [
        "/" + url_path[len(root.url_path) :]
        for url_path in paths.values_list("url_path", flat=True)
    ]


def warm_up(application, close=True):
    """Serve each site's pages of every type and a search to ``application`` once;
    returns {(host, path): status}. ``close``: the database connections after it (a
    test keeps its own)."""
    if not enabled():
        return {}
    started = time.perf_counter()
    answers = {}
    try:
        from wagtail.models import Site

        from search.segment import domain_segmenter, plain_segmenter

        domain_segmenter()
        plain_segmenter()
        for site in Site.objects.select_related("root_page"):
            for target in [*page_paths(site), *PATHS]:
                answers[site.hostname, target] = _get(application, site.hostname, site.port, target)
        logger.info(
            "warm-up: %d requests (%s) in %.2f s",
            len(answers),
            ", ".join(sorted(set(answers.values()))),
            time.perf_counter() - started,
        )
    except Exception:
        logger.exception("warm-up failed (the first requests will do it)")
    finally:
        if close:
            connections.close_all()
    return answers


def warm_worker(application):
    """In a newly forked worker, before its first reader (``gunicorn_conf``): each
    site's home page once, through ``application``. Connections stay open for the
    worker's requests; a failure is logged, never raised."""
    if not enabled():
        return {}
    answers = {}
    try:
        from wagtail.models import Site

        for site in Site.objects.all():
            answers[site.hostname, "/"] = _get(application, site.hostname, site.port, "/")
    except Exception:
        logger.exception("worker warm-up failed (its first request will do it)")
    return answers
