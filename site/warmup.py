"""Work a fresh server process would otherwise leave to its first readers (issue 19).

A new gunicorn worker answered its first page about ten times slower than the next:
that request compiled the theme's templates, imported the template tag libraries,
filled Django's content type and URL caches and Wagtail's site root paths, rendered
the page's content (kept afterwards, ``gongjian_site.fragments``), and the first search
loaded the segmentation dictionary and the thesaurus. ``warm_up()`` does all of that
once, when the WSGI application is loaded (``wsgi.py``): in gunicorn's master with
``--preload`` (``scripts/run-prod.sh``), so every forked worker starts warm, or in
each worker at its start without it. It serves the home page and one search of each
site to itself through the application (GETs that write no content), then closes the
database connections it opened, which forked workers must not share.

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

#: What each site serves itself at start: its home page and one search.
PATHS = ("/", "/search/?q=%E5%85%9A%E5%BB%BA")


def enabled():
    return os.environ.get("GONGJIAN_WARM_UP", "true").lower() not in {"0", "false", "no"}


def _environ(host, port, target):
    url = urlsplit(target)
    https = port == 443 or settings.SECURE_SSL_REDIRECT
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": url.path,
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


def warm_up(application):
    """Serve each site's home page and a search to ``application`` once."""
    if not enabled():
        return
    started = time.perf_counter()
    try:
        from wagtail.models import Site

        from search.segment import domain_segmenter, plain_segmenter

        domain_segmenter()
        plain_segmenter()
        sites = list(Site.objects.values_list("hostname", "port"))
        answers = [
            _get(application, host, port, target) for host, port in sites for target in PATHS
        ]
        logger.info("warm-up: %s in %.2f s", ", ".join(answers), time.perf_counter() - started)
    except Exception:
        logger.exception("warm-up failed (the first requests will do it)")
    finally:
        connections.close_all()
