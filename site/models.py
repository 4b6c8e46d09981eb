"""Site-wide settings of the project itself: 站点外观 (the theme of each Wagtail Site) and
网站备案信息 (the filing footer)."""

from django.conf import settings
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


MIIT_FILING_URL = "https://beian.miit.gov.cn/"
POLICE_FILING_URL = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"


@register_setting(icon="doc-full")
class FilingSettings(BaseSiteSetting):
    """网站备案信息: what a site hosted in mainland China shows in its footer.

    Every theme renders it (``includes/filing_footer.html``); a blank field is not shown,
    so a site still being filed shows only what it has.
    """

    host = models.CharField(_("主办单位"), max_length=200, blank=True)
    organiser = models.CharField(_("承办单位"), max_length=200, blank=True)
    icp_number = models.CharField(
        _("ICP备案号"), max_length=100, blank=True, help_text=_("如：京ICP备12345678号-1")
    )
    police_number = models.CharField(
        _("公安备案号"), max_length=100, blank=True, help_text=_("如：京公网安备11010502030143号")
    )
    site_code = models.CharField(
        _("网站标识码"), max_length=50, blank=True, help_text=_("政府网站的标识码，如：1100000088")
    )
    contact = models.CharField(
        _("联系方式"), max_length=200, blank=True, help_text=_("如：联系电话 0571-12345678")
    )

    class Meta:
        verbose_name = _("网站备案信息")
        verbose_name_plural = _("网站备案信息")

    @property
    def police_code(self):
        """The digits of the 公安备案号, which its query link takes."""
        return "".join(ch for ch in self.police_number if ch.isascii() and ch.isdigit())

    @property
    def police_url(self):
        return POLICE_FILING_URL.format(code=self.police_code) if self.police_code else ""

    @property
    def icp_url(self):
        return MIIT_FILING_URL

    def __bool__(self):
        return any(
            (self.host, self.organiser, self.icp_number, self.police_number, self.site_code,
             self.contact)
        )  # fmt: skip


class PluginProfile(models.Model):
    """Which version of a plugin's profile this site has installed (Plone's
    ``metadata.xml`` version, as portal_setup records it).

    ``setup_site`` installs a plugin that has no row, runs the numbered upgrade steps
    between the recorded version and the plugin's ``PROFILE_VERSION`` once, in order,
    and records each step as it commits (gongjian_site.plugins).
    """

    label = models.CharField(_("插件"), max_length=100, unique=True)
    version = models.PositiveIntegerField(_("已安装版本"))
    installed_at = models.DateTimeField(_("安装时间"), auto_now_add=True)
    upgraded_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    demo_loaded_at = models.DateTimeField(_("演示内容载入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("插件配置版本")
        verbose_name_plural = _("插件配置版本")

    def __str__(self):
        return f"{self.label} v{self.version}"


class DocumentTemplate(models.Model):
    """A replacement Word template of one official document (设置 › 文书模板).

    Kept in the database rather than on the media storage: templates are internal, are
    read at every export, and a restore of the database brings them back with it. No row
    means the shipped default is in use (gongjian_site.doctemplates).
    """

    key = models.CharField(_("文书"), max_length=100, unique=True)
    data = models.BinaryField(_("模板文件"))
    file_name = models.CharField(_("上传的文件名"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")

    def __str__(self):
        return self.key
