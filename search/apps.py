from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

# SQLite's page cache per connection, in KiB (its default is 2,000). One archive query
# reads the FTS doclists of its words, then the facet index, then the doclists again to
# rank; with the default cache the facet pass pushes the doclists out and ranking reads
# them back from the OS. Filled only as pages are read, so small sites use little of it.
SQLITE_CACHE_KIB = 65536


def size_sqlite_cache(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")


class SearchConfig(AppConfig):
    """Chinese archive search: segmentation, the index, the query API and its views."""

    name = "search"
    label = "search"
    verbose_name = _("档案检索")
    default_auto_field = "django.db.models.BigAutoField"
    # Not under plugins/, but set up like one (default synonyms) after orgs.
    is_gongjian_plugin = True
    dependencies = ("orgs",)

    def ready(self):
        from . import signals

        signals.connect()
        connection_created.connect(size_sqlite_cache, dispatch_uid="search-sqlite-cache")
