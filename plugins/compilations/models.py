"""Experience compilations: a compilation page holding chapters and article pages.

Chapters and articles are pages, so their order is the page tree's order, which
editors already know how to change (the explorer's sort handles).
"""

from dataclasses import dataclass, field

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from plugins.archive.api import SourceIdMixin, body_blocks
from plugins.orgs.models import OrganisationPage

ORG_PARENTS = [
    "orgs.CityPage",
    "orgs.DistrictPage",
    "orgs.StreetPage",
    "orgs.AreaBranchPage",
    "orgs.CommunityPage",
    "orgs.ResidentUnitPage",
    "orgs.ParkPage",
    "archive.ArchiveSectionPage",
]


def current_year():
    return timezone.localdate().year


@dataclass
class Section:
    """A chapter of the outline (``chapter`` is None for articles outside any chapter)."""

    chapter: "CompilationChapterPage | None"
    articles: list = field(default_factory=list)


class CompilationPage(RoutablePageMixin, SourceIdMixin, Page):
    """经验汇编, e.g. 《2020年社区党建创新经验汇编》, edited and printed by an organisation."""

    year = models.PositiveSmallIntegerField(
        _("年份"), default=current_year,
        validators=[MinValueValidator(1949), MaxValueValidator(2100)],
    )  # fmt: skip
    editor_unit = models.ForeignKey(
        OrganisationPage,
        verbose_name=_("编印单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="edited_compilations",
    )
    preface = RichTextField(_("前言"), blank=True, features=["bold", "italic", "ol", "ul"])
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    parent_page_types = ORG_PARENTS
    subpage_types = ["compilations.CompilationChapterPage", "compilations.CompilationArticlePage"]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("year"), FieldPanel("editor_unit"), FieldPanel("cover_image")],
            heading=_("汇编信息"),
        ),
        FieldPanel("preface"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("preface"), index.FilterField("year")]

    class Meta:
        verbose_name = _("经验汇编")
        verbose_name_plural = _("经验汇编")

    def outline(self, live_only=True):
        """The compilation in reading order: [Section(chapter, [articles])].

        Three queries whatever its size (one per page type), for the page and exports.
        """
        pages = Page.objects.descendant_of(self).order_by("path")
        if live_only:
            pages = pages.live()
        sections = []
        for page in pages.specific():
            if isinstance(page, CompilationChapterPage):
                sections.append(Section(page))
            elif isinstance(page, CompilationArticlePage):
                in_chapter = page.depth == self.depth + 2
                if not sections or (not in_chapter and sections[-1].chapter is not None):
                    sections.append(Section(None))
                sections[-1].articles.append(page)
        return sections

    def get_template(self, request, *args, **kwargs):
        return "compilations/compilation_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: not read when the content comes kept rendered (gongjian_site.fragments).
        context["sections"] = SimpleLazyObject(self.outline)
        return context

    @path("export/<str:fmt>/", name="export")
    def export(self, request, fmt):
        """The published compilation as .docx or .pdf (public download)."""
        from .exporting import EXPORTERS, ExportError, download_response

        if fmt not in EXPORTERS or not self.live:
            raise Http404
        try:
            return download_response(self, fmt, live_only=True)
        except ExportError as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")


class CompilationChapterPage(SourceIdMixin, Page):
    """A chapter (一、组织建设篇 ...) grouping articles in a compilation."""

    intro = models.TextField(_("章节说明"), blank=True)

    parent_page_types = ["compilations.CompilationPage"]
    subpage_types = ["compilations.CompilationArticlePage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("汇编章节")
        verbose_name_plural = _("汇编章节")

    def get_template(self, request, *args, **kwargs):
        return "compilations/chapter_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = self.get_children().live().specific().order_by("path")
        context["compilation"] = SimpleLazyObject(self.get_parent)
        return context


class CompilationArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "compilations.CompilationArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CompilationArticlePage(SourceIdMixin, Page):
    """An article of a compilation: its own text, which may be a copy of a typical case
    (``source_case`` keeps the link; later edits of either do not touch the other).

    ``date`` and ``tags`` carry what an archived article was dated and tagged with (the
    search reads both under these names): without them an imported article would be
    dated by its import day and lose its tags."""

    date = models.DateField(_("日期"), null=True, blank=True, db_index=True)
    tags = ClusterTaggableManager(
        through=CompilationArticlePageTag, blank=True, verbose_name=_("标签")
    )
    author = models.CharField(_("作者"), max_length=100, blank=True)
    unit_name = models.CharField(_("单位"), max_length=255, blank=True)
    lead = models.TextField(_("导语"), blank=True)
    body = StreamField(body_blocks(), verbose_name=_("正文"), blank=True)
    source_case = models.ForeignKey(
        "cases.CasePage",
        verbose_name=_("来源案例"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="compilation_copies",
    )

    parent_page_types = ["compilations.CompilationPage", "compilations.CompilationChapterPage"]
    subpage_types = []
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("author"), FieldPanel("unit_name"), FieldPanel("source_case")],
            heading=_("作者与来源"),
        ),
        FieldPanel("date"),
        FieldPanel("lead"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("body")]

    class Meta:
        verbose_name = _("汇编文章")
        verbose_name_plural = _("汇编文章")

    def get_template(self, request, *args, **kwargs):
        return "compilations/article_page.html"
