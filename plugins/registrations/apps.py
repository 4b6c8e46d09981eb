from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    """Public check-in forms (报到登记): unit survey, unit Party organisation check-in and
    in-service Party members' check-in (双报到), moderated and exported in the admin."""

    name = "plugins.registrations"
    label = "registrations"
    verbose_name = _("报到登记")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs", "access")
