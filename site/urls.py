from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from search import views as search_views

from . import accessibility, accounts, navigation
from .api import api_router
from .plugins import plugin_urls

urlpatterns = [
    # Before the admin's and Wagtail's own patterns, which they replace (see accounts.py):
    # logout by POST only; page and document passwords throttled like logins.
    path(settings.ADMIN_URL + "logout/", accounts.LogoutView.as_view()),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        accounts.throttled_password_view(wagtail_views.authenticate_with_password),
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        accounts.throttled_password_view(wagtaildocs_serve.authenticate_with_password),
    ),
    path(settings.ADMIN_URL, include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/search/", search_views.api_search, name="search_api"),
    path("search/", search_views.search_page, name="search"),
    path("sitemap.xml", navigation.sitemap, name="sitemap"),
    path("wechat/", include("gongjian_site.wechat")),
    path("display/", accessibility.switch, name="display_switch"),
    # Each installed plugin's public URLs (``url_includes`` of its AppConfig: the private
    # media, feeds, 报到 forms, 三个清单 boards ...), outside the page tree's paths so no
    # page slug can shadow them; a plugin left out of INSTALLED_PLUGINS has none.
    *plugin_urls(),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database outage answers a friendly 503, any other crash a plain 500 (see faults.py).
handler500 = "gongjian_site.faults.server_error"

# Wagtail's page serving catches everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
