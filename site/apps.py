from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GongjianSiteConfig(AppConfig):
    """The project itself as an app: it owns `setup_site` and `load_demo`."""

    name = "gongjian_site"
    label = "gongjian"
    verbose_name = _("共建平台")
