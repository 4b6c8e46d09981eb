from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GongjianSiteConfig(AppConfig):
    """The project itself as an app: it owns `setup_site`, `load_demo`, the theme
    machinery (themes.py), the page cache (pagecache.py) and the home page (home.py)."""

    name = "gongjian_site"
    label = "gongjian"
    verbose_name = _("共建平台")

    def import_models(self):
        # First of the project's apps (INSTALLED_APPS lists it before every plugin), so
        # a plugin whose dependency is left out is refused before its models fail to load.
        from .plugins import check_dependencies

        check_dependencies()
        super().import_models()

    def ready(self):
        from wagtail.admin.forms.models import register_form_field_override
        from wagtail.fields import RichTextField

        from . import names, signals  # noqa: F401
        from .richtext import RichTextFormField

        # Chinese names family name first (王建国), wherever a user's name is shown.
        names.install()

        # A body that is not the editor's JSON is a form error (see richtext.py).
        register_form_field_override(RichTextField, override={"form_class": RichTextFormField})
