"""The 未归属 archive section and the source id every imported page keeps."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

UNASSIGNED_SLUG = "unassigned"
UNASSIGNED_TITLE = "未归属"


class SourceIdMixin(models.Model):
    """The id a record had in the archive it came from.

    Unique per page type, so re-importing a file finds the page it made last time
    and updates it instead of adding a duplicate. Left out of page copies: a copy is
    a new page with no source of its own.
    """

    source_id = models.CharField(
        _("来源编号"),
        max_length=120,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("导入档案时的原始编号，用于重复导入时更新而不是新增"),
    )

    exclude_fields_in_copy = ["source_id"]

    class Meta:
        abstract = True


class ArchiveSectionPage(Page):
    """未归属: where imported records whose unit matches no organisation wait.

    Nothing is created silently in the organisation tree: an editor moves these
    pages to the right organisation once someone knows where they belong.
    """

    intro = models.TextField(_("说明"), blank=True)

    #: Read by the archive search (search/documents.py): the organisations above this
    #: section are not the unit of the records in it, so their unit is 未归属.
    archive_unassigned = True

    parent_page_types = ["orgs.CityPage", "wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("未归属档案")
        verbose_name_plural = _("未归属档案")

    def get_template(self, request, *args, **kwargs):
        return "archive/archive_section_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["records"] = self.get_children().live().public().order_by("title")[:200]
        return context
