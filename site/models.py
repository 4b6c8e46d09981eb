"""Site-wide settings of the project itself: 站点外观 (the theme of each Wagtail Site)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .themes import theme_choices


@register_setting(icon="view")
class AppearanceSettings(BaseSiteSetting):
    """站点外观: the theme this site is dressed in; empty follows the THEME setting."""

    theme = models.CharField(
        _("主题"),
        max_length=50,
        blank=True,
        choices=theme_choices,
        help_text=_("留空则使用部署时的 THEME 设置。切换后立即生效，无需重启。"),
    )

    class Meta:
        verbose_name = _("站点外观")
        verbose_name_plural = _("站点外观")
