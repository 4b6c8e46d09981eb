"""Typical cases and the per-district case index."""

from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from plugins.archive.api import SourceIdMixin, body_blocks
from plugins.orgs.models import OrganisationPage

PAGE_SIZE = 10


class CasePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cases.CasePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CasePage(SourceIdMixin, Page):
    """典型案例. Lives under the organisation that wrote it up; ``organisations`` names
    every organisation and unit it concerns, wherever they are in the tree."""

    date = models.DateField(_("日期"), default=timezone.localdate, db_index=True)
    lead = models.TextField(_("导语"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(body_blocks(), verbose_name=_("正文"), blank=True)
    organisations = ParentalManyToManyField(
        OrganisationPage, verbose_name=_("涉及组织和单位"), blank=True, related_name="cases"
    )
    tags = ClusterTaggableManager(through=CasePageTag, blank=True, verbose_name=_("标签"))
    source = models.CharField(_("来源"), max_length=255, blank=True)
    author = models.CharField(_("作者"), max_length=100, blank=True)
    recommended = models.BooleanField(
        _("推荐入汇编"), default=False, db_index=True,
        help_text=_("勾选后，编辑经验汇编时可以把本案例收入汇编"),
    )  # fmt: skip
    featured = models.BooleanField(_("首页展示"), default=False, db_index=True)

    parent_page_types = [
        "orgs.CityPage",
        "orgs.DistrictPage",
        "orgs.StreetPage",
        "orgs.AreaBranchPage",
        "orgs.CommunityPage",
        "orgs.GridBranchPage",
        "orgs.ResidentUnitPage",
        "orgs.ParkPage",
        "archive.ArchiveSectionPage",
    ]
    subpage_types = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("lead"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("organisations"), FieldPanel("source"), FieldPanel("author")],
            heading=_("涉及组织与来源"),
        ),
        FieldPanel("tags"),
        MultiFieldPanel([FieldPanel("recommended"), FieldPanel("featured")], heading=_("推荐")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.SearchField("author"),
        index.FilterField("date"),
        index.FilterField("recommended"),
    ]

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")

    def get_template(self, request, *args, **kwargs):
        return "cases/case_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["concerned"] = self.organisations.live().order_by("path")
        return context


def cases_of(organisation):
    """Live, public cases under an organisation, newest first."""
    return (
        CasePage.objects.live().public().descendant_of(organisation)
        .select_related("cover_image").order_by("-date", "-pk")
    )  # fmt: skip


class CaseIndexPage(Page):
    """典型案例 of a district: every case under it, filtered by year, street, tag and
    the 推荐入汇编 flag."""

    intro = models.TextField(_("说明"), blank=True)

    parent_page_types = ["orgs.DistrictPage"]
    subpage_types = []
    max_count_per_parent = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("典型案例索引")
        verbose_name_plural = _("典型案例索引")

    def get_template(self, request, *args, **kwargs):
        return "cases/case_index_page.html"

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from .filters import CaseFilter

        context = super().get_context(request, *args, **kwargs)
        # Lazy: nothing is read when the list comes kept rendered (gongjian_site.fragments).
        district = SimpleLazyObject(self.get_parent)
        case_filter = SimpleLazyObject(lambda: CaseFilter(request.GET, district))
        page = SimpleLazyObject(
            lambda: Paginator(case_filter.queryset(), PAGE_SIZE).get_page(request.GET.get("page"))
        )
        context.update(
            district=district, filter=case_filter, cases=page,
            query_string=SimpleLazyObject(lambda: case_filter.query_string()),
        )  # fmt: skip
        return context
