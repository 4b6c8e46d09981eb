"""Activity records: what an organisation did, with whom, and what came of it."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from plugins.archive.api import SourceIdMixin, body_blocks
from plugins.orgs.models import OrganisationPage, ResidentUnitPage

#: The kinds every installation starts with (DOMAIN.md, 活动记录); editors add more.
DEFAULT_KINDS = (
    "主题党日",
    "志愿服务",
    "联席会议",
    "党课",
    "文明创建",
    "微心愿",
    "结对共建",
    "其他",
)
FALLBACK_KIND = "其他"
PAGE_SIZE = 10


class ActivityKind(models.Model):
    """An activity kind (主题党日, 志愿服务 ...): a record, so editors can extend the list."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    panels = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")

    def __str__(self):
        return self.name

    @classmethod
    def fallback(cls):
        """其他: the kind of records whose kind is not known (imports)."""
        kind, _created = cls.objects.get_or_create(
            name=FALLBACK_KIND, defaults={"sort_order": len(DEFAULT_KINDS)}
        )
        return kind


class ActivityPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "activities.ActivityPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ActivityPage(SourceIdMixin, Page):
    """区域化党建活动记录. The organiser is the organisation the page lives under."""

    date = models.DateField(_("活动日期"), db_index=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    place = models.CharField(_("活动地点"), max_length=255, blank=True)
    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("活动类型"), on_delete=models.PROTECT, related_name="+"
    )
    participating_units = ParentalManyToManyField(
        ResidentUnitPage, verbose_name=_("参与单位"), blank=True, related_name="activities"
    )
    participant_count = models.PositiveIntegerField(_("参与人数"), null=True, blank=True)
    summary = models.TextField(_("活动摘要"), blank=True)
    body = StreamField(body_blocks(), verbose_name=_("活动内容"), blank=True)
    outcome = models.TextField(_("活动成效"), blank=True)
    tags = ClusterTaggableManager(through=ActivityPageTag, blank=True, verbose_name=_("标签"))

    parent_page_types = [
        "orgs.StreetPage",
        "orgs.CommunityPage",
        "orgs.GridBranchPage",
        "orgs.PartyGroupPage",
        "orgs.ResidentUnitPage",
        "archive.ArchiveSectionPage",
    ]
    subpage_types = []

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("date"), FieldPanel("end_date")]),
                FieldPanel("place"),
                FieldPanel("kind"),
                FieldPanel("participating_units"),
                FieldPanel("participant_count"),
            ],
            heading=_("基本信息"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("outcome"),
        InlinePanel("gallery_images", heading=_("活动照片"), label=_("照片")),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("outcome"),
        index.SearchField("place"),
        index.FilterField("date"),
    ]

    class Meta:
        verbose_name = _("活动记录")
        verbose_name_plural = _("活动记录")

    def clean(self):
        super().clean()
        if self.end_date and self.date and self.end_date < self.date:
            raise ValidationError({"end_date": _("结束日期不能早于活动日期。")})

    @property
    def organiser(self):
        """The organisation that held the activity: the page's parent."""
        return self.get_parent().specific

    def get_template(self, request, *args, **kwargs):
        return "activities/activity_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        def organiser():
            parent = self.get_parent().specific
            return parent if isinstance(parent, OrganisationPage) else None

        # Lazy, as what follows: not read when the content comes kept rendered
        # (gongjian_site.fragments).
        context["organiser"] = SimpleLazyObject(organiser)
        context["gallery"] = self.gallery_images.select_related("image")
        context["units"] = self.participating_units.live().order_by("path")
        return context


class ActivityGalleryImage(Orderable):
    """One photo of an activity; alt text is required (see ``clean``)."""

    page = ParentalKey(ActivityPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("照片"), on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(
        _("替代文字"), max_length=255, help_text=_("必填：为视障读者描述照片内容")
    )
    caption = models.CharField(_("照片说明"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")

    def clean(self):
        super().clean()
        if not (self.alt_text or "").strip():
            raise ValidationError({"alt_text": _("请填写照片的替代文字。")})


def activities_of(organisation):
    """Live, public activities of an organisation and every organisation below it."""
    return (
        ActivityPage.objects.live()
        .public()
        .descendant_of(organisation)
        .select_related("kind")
        .order_by("-date", "-pk")
    )


def attach_organisers(activities):
    """Set ``organiser_title``/``organiser_url_path`` on each activity from one query,
    instead of one ``get_parent()`` a row."""
    step = Page.steplen
    parent_paths = {activity.path[:-step] for activity in activities}
    parents = {
        page.path: page
        for page in Page.objects.filter(path__in=parent_paths).only("id", "path", "title")
    }
    for activity in activities:
        activity.organiser_page = parents.get(activity.path[:-step])
    return activities


def paginate(queryset, number, per_page=PAGE_SIZE):
    """A page of ``queryset``; a bad or out-of-range page number gives the first/last page."""
    return Paginator(queryset, per_page).get_page(number)


class ActivityIndexPage(Page):
    """活动记录: every activity under the parent organisation, filtered by year, month,
    kind and participating unit."""

    intro = models.TextField(_("说明"), blank=True)

    parent_page_types = [
        "orgs.CityPage",
        "orgs.DistrictPage",
        "orgs.StreetPage",
        "orgs.CommunityPage",
    ]
    subpage_types = []
    max_count_per_parent = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("活动记录索引")
        verbose_name_plural = _("活动记录索引")

    def get_template(self, request, *args, **kwargs):
        return "activities/activity_index_page.html"

    def get_context(self, request, *args, **kwargs):
        from .filters import ActivityFilter

        context = super().get_context(request, *args, **kwargs)
        # Lazy: nothing is read when the list comes kept rendered (gongjian_site.fragments).
        organisation = SimpleLazyObject(self.get_parent)
        activity_filter = SimpleLazyObject(lambda: ActivityFilter(request.GET, organisation))

        def activities():
            page = paginate(activity_filter.queryset(), request.GET.get("page"))
            attach_organisers(page.object_list)
            return page

        context.update(
            organisation=organisation, filter=activity_filter,
            activities=SimpleLazyObject(activities),
            query_string=SimpleLazyObject(lambda: activity_filter.query_string()),
        )  # fmt: skip
        return context
