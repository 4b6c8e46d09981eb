from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Committee meetings and joint meetings (议事): notice, attendance, minutes, resolutions."""

    name = "plugins.meetings"
    label = "meetings"
    verbose_name = _("会议")
    #: What 设置 › 插件管理 says the plugin does.
    description = _("大党委委员会议和联席会议：通知、议程、签到、纪要和决议，公开日程订阅。")
    default_auto_field = "django.db.models.BigAutoField"
    dependencies = ("orgs", "access")
    # The calendar feeds; meeting posters and scan-to-sign-in (扫码签到).
    url_includes = (
        ("feeds/meetings/", "plugins.meetings.urls"),
        ("huiyi/", "plugins.meetings.public_urls"),
    )

    def ready(self):
        from gongjian_site.changes import shown_on

        from .models import SignIn

        # A scanned sign-in marks its attendance row present, which the meeting page
        # counts (应到/实到); the row belongs to the page, so the sign-in tells the cache.
        shown_on(SignIn, lambda sign_in: [sign_in.meeting])
