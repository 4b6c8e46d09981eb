"""评选表彰: honours of organisations and people, shown on the organisation's page."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class AwardKind(models.TextChoices):
    ADVANCED_ORGANISATION = "advanced_organisation", _("先进基层党组织")
    SERVICE_BRAND = "service_brand", _("优秀服务品牌")
    EXCELLENT_MEMBER = "excellent_member", _("优秀党员")
    EXCELLENT_PART_TIME_MEMBER = "excellent_part_time_member", _("优秀兼职委员")


PERSONAL_KINDS = {AwardKind.EXCELLENT_MEMBER, AwardKind.EXCELLENT_PART_TIME_MEMBER}


class Award(models.Model):
    kind = models.CharField(_("表彰类别"), max_length=32, choices=AwardKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(
        _("荣誉名称"), max_length=200, blank=True, help_text=_("不填则为“年度 + 表彰类别”")
    )
    awarded_by = models.CharField(_("授予单位"), max_length=120, blank=True)
    organisation = models.ForeignKey(
        "orgs.OrganisationPage",
        verbose_name=_("获奖组织 / 所在单位"),
        on_delete=models.CASCADE,
        related_name="awards",
        help_text=_("个人荣誉填其所在单位；荣誉显示在该组织的页面上"),
    )
    person_name = models.CharField(_("获奖人"), max_length=50, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("获奖人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="awards",
    )
    note = models.TextField(_("事迹简介"), blank=True)

    panels = [
        FieldPanel(name)
        for name in (
            "kind",
            "year",
            "title",
            "awarded_by",
            "organisation",
            "person_name",
            "user",
            "note",
        )
    ]

    class Meta:
        verbose_name = _("评选表彰")
        verbose_name_plural = _("评选表彰")
        ordering = ["-year", "kind", "pk"]

    def __str__(self):
        return self.display_title + (f" · {self.person_name}" if self.person_name else "")

    @property
    def display_title(self):
        return self.title or f"{self.year}年度{self.get_kind_display()}"

    def clean(self):
        if self.year and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": _("请填写正确的年度，如 2025。")})
        if self.kind in PERSONAL_KINDS and not (self.person_name or "").strip():
            if self.user_id:
                self.person_name = self.user.get_full_name() or self.user.username
            else:
                raise ValidationError({"person_name": _("个人荣誉请填写获奖人姓名。")})
        if self.kind not in PERSONAL_KINDS and self.person_name:
            raise ValidationError({"person_name": _("组织荣誉不填写获奖人。")})
