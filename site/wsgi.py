"""WSGI entry point: ``gunicorn gongjian_site.wsgi`` (production settings by default).

Loading it warms the process up (``gongjian_site.warmup``): with gunicorn's
``--preload`` once in the master, for every worker forked from it."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjian_site.settings.production")

application = get_wsgi_application()

from gongjian_site.warmup import warm_up  # noqa: E402  (needs the settings loaded)

warm_up(application)
