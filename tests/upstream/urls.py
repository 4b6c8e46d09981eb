"""Wagtail's test URLs, with the site's own URLs that Wagtail's test project lacks in front
(the plugins' feeds, forms, boards, the archive search ...), so any link a plugin renders
resolves as it does on the site.

Taken from ``gongjian_site.urls`` rather than copied, so a plugin's new URL is here too.
Left out: the admin, documents and Wagtail's page serving (Wagtail's test URLs mount
them), and the site's replacements of Wagtail's own views (logout by POST only, throttled
page passwords: site hardening, not plugins), so Wagtail's tests meet Wagtail's views.
"""

from django.urls import URLPattern
from wagtail.test.urls import urlpatterns as wagtail_test_urlpatterns

from gongjian_site import urls as site_urls

#: Route prefixes of the site's URLs that are Wagtail's own (or replace Wagtail's views).
WAGTAILS = ("admin/", "documents/", "_util/", "api/v2/", "sitemap.xml")


def _route(pattern):
    return str(pattern.pattern)


def _site_only():
    taken = {_route(p) for p in wagtail_test_urlpatterns}
    for pattern in site_urls.urlpatterns:
        route = _route(pattern)
        if route == "" or route in taken or route.startswith(WAGTAILS):
            continue
        if isinstance(pattern, URLPattern) and pattern.callback.__module__.startswith("django."):
            continue  # static and media serving in DEBUG
        yield pattern


urlpatterns = [*_site_only(), *wagtail_test_urlpatterns]
