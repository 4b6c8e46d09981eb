from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Committee meetings and joint meetings (议事): notice, attendance, minutes, resolutions."""

    name = "plugins.meetings"
    label = "meetings"
    verbose_name = _("会议")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs", "access")
