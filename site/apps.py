from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GongjianSiteConfig(AppConfig):
    """The project itself as an app: it owns `setup_site`, `load_demo`, the theme
    machinery (themes.py), the page cache (pagecache.py) and the home page (home.py)."""

    name = "gongjian_site"
    label = "gongjian"
    verbose_name = _("共建平台")

    def ready(self):
        from . import signals  # noqa: F401
