"""Page types for every level of the organisation tree, and their committees.

The tree is enforced from below: each type names the parents it may live under
(``parent_page_types``). Parents do not list their children, so later plugins
(activities, cases, meetings ...) hang their own page types under organisation
pages by declaring their parents, without editing this plugin.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, TitleFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from gongjian_site.routing import route_quickly

from .composition import LEADERSHIP_RULES, MaxTotal, OddTotal, PartTimeRange, Role
from .composition import check_composition as _check
from .panels import CompositionPanel
from .validators import validate_phone


class OrganisationPageForm(WagtailAdminPageForm):
    """Checks the committee being saved against the page type's composition rules.

    In strict mode (``ORGS_STRICT_COMPOSITION``) a breach stops the save with a
    form error; otherwise the page saves and the editor sees a warning
    (``wagtail_hooks.warn_about_composition``).
    """

    def is_valid(self):
        # The committee lives in an inline formset, which ClusterForm validates
        # after the page form's own clean(); so the check runs once both are valid.
        valid = super().is_valid()
        if not valid or not getattr(settings, "ORGS_STRICT_COMPOSITION", False):
            return valid
        formset = self.formsets.get("committee_members")
        if formset is None:
            return valid
        members = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        findings = _check(type(self.instance), members)
        for message in findings:
            self.add_error(None, message)
        return not findings


class OrganisationPage(Page):
    """Fields and behaviour shared by every organisation level.

    Concrete (multi-table) so that other plugins can ask for "all organisation
    pages" in one query and point foreign keys at any level.
    """

    intro = RichTextField(_("简介"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    address = models.CharField(_("地址"), max_length=255, blank=True)
    phone = models.CharField(
        _("联系电话"),
        max_length=40,
        blank=True,
        validators=[validate_phone],
        help_text=_("手机号或带区号的座机号，如 010-6512 3456"),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    is_creatable = False
    base_form_class = OrganisationPageForm
    # Rules of committee_name's committee; each level adds its own.
    committee_name = _("班子")
    composition_rules = LEADERSHIP_RULES

    content_panels = [
        TitleFieldPanel("title", heading=_("组织名称")),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("cover_image")],
            heading=_("联系方式"),
        ),
        CompositionPanel(heading=_("班子构成检查")),
        InlinePanel("committee_members", heading=_("班子成员"), label=_("成员")),
    ]

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("address")]
    api_fields = [
        APIField("intro"),
        APIField("address"),
        APIField("phone"),
        APIField("committee_members"),
    ]

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")

    def composition_warnings(self, today=None):
        """Messages for every composition rule this page's current committee breaks."""
        return _check(type(self), self.committee_members.all(), today)

    def committee_by_role(self):
        """(role label, [members]) in the order of the "1+1+N+X" roles."""
        groups = {}
        members = self.committee_members.all()
        if hasattr(members, "select_related"):
            members = members.select_related("source_unit")
        for member in sorted(members, key=lambda m: (Role.ORDER[m.role], m.sort_order or 0)):
            groups.setdefault(member.role, []).append(member)
        return [(Role.LABELS[role], people) for role, people in groups.items()]

    # An organisation (the site's root among them) finds the page of a URL below it in
    # two queries instead of two a level (gongjian_site.routing).
    route = route_quickly(Page.route)

    def get_template(self, request, *args, **kwargs):
        # A theme may style one level (orgs/community_page.html); all others share
        # the generic organisation template.
        return [self.template, "orgs/organisation_page.html"]

    @cached_property
    def level_name(self):
        """The level in Chinese (社区大党委, 网格党支部 ...)."""
        return self.specific_class._meta.verbose_name

    @property
    def level_key(self):
        """The level as an identifier (communitypage ...), for CSS and templates."""
        return self.specific_class._meta.model_name

    def child_pages(self):
        """(child organisations, child units), live and public, in tree order."""
        # Only organisations: other plugins hang records (activities, cases ...) here too.
        children = (
            self.get_children().live().public().type(OrganisationPage).specific().order_by("path")
        )
        units = [child for child in children if isinstance(child, ResidentUnitPage)]
        return [child for child in children if not isinstance(child, ResidentUnitPage)], units

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: read only when the template shows them, which it does not when the
        # page's content comes kept rendered (gongjian_site.fragments).
        children = SimpleLazyObject(self.child_pages)
        context["child_organisations"] = SimpleLazyObject(lambda: children[0])
        context["child_units"] = SimpleLazyObject(lambda: children[1])
        context["ancestors"] = self.get_ancestors().filter(depth__gt=1).live()
        context["committee"] = SimpleLazyObject(self.committee_by_role)
        return context


class CommitteeMember(Orderable):
    """One seat on an organisation's committee, or a unit's liaison."""

    page = ParentalKey(OrganisationPage, on_delete=models.CASCADE, related_name="committee_members")
    role = models.CharField(_("职务"), max_length=32, choices=Role.CHOICES)
    person_name = models.CharField(_("姓名"), max_length=50)
    source_unit = models.ForeignKey(
        "orgs.ResidentUnitPage",
        verbose_name=_("原单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_seats",
        help_text=_("兼职委员、联络员必填：其所在的驻区单位"),
    )
    term_start = models.DateField(_("任期开始"), null=True, blank=True)
    term_end = models.DateField(_("任期结束"), null=True, blank=True)

    panels = [
        FieldPanel("role"),
        FieldPanel("person_name"),
        FieldPanel("source_unit"),
        FieldPanel("term_start"),
        FieldPanel("term_end"),
    ]
    api_fields = [
        APIField("role"),
        APIField("person_name"),
        APIField("term_start"),
        APIField("term_end"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("班子成员")
        verbose_name_plural = _("班子成员")

    def __str__(self):
        return f"{self.get_role_display()} {self.person_name}"

    def clean(self):
        errors = {}
        if self.role in Role.FROM_UNIT and not self.source_unit_id:
            errors["source_unit"] = _("%(role)s必须填写原单位（所在驻区单位）。") % {
                "role": Role.LABELS[self.role]
            }
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = _("任期结束日期不能早于开始日期。")
        if errors:
            raise ValidationError(errors)


class CityPage(OrganisationPage):
    """市委: the root of a city's tree and the site's home page."""

    parent_page_types = ["wagtailcore.Page"]
    committee_name = _("市委")
    is_creatable = True

    class Meta:
        verbose_name = _("市委")
        verbose_name_plural = _("市委")


class DistrictPage(OrganisationPage):
    """区（市、县）委."""

    parent_page_types = ["orgs.CityPage"]
    committee_name = _("区委")
    is_creatable = True

    class Meta:
        verbose_name = _("区委")
        verbose_name_plural = _("区委")


class StreetPage(OrganisationPage):
    """街道党工委 / 街道（镇）综合党委, the "大工委"."""

    parent_page_types = ["orgs.DistrictPage"]
    committee_name = _("街道综合党委")
    composition_rules = (*LEADERSHIP_RULES, OddTotal(), MaxTotal(13), PartTimeRange(3, 5))
    is_creatable = True

    class Meta:
        verbose_name = _("街道党工委")
        verbose_name_plural = _("街道党工委")


class AreaBranchPage(OrganisationPage):
    """片区党总支: the optional level between street and community (four-level model)."""

    parent_page_types = ["orgs.StreetPage"]
    committee_name = _("片区党总支")
    is_creatable = True

    class Meta:
        verbose_name = _("片区党总支")
        verbose_name_plural = _("片区党总支")


class CommunityPage(OrganisationPage):
    """社区"大党委"."""

    parent_page_types = ["orgs.StreetPage", "orgs.AreaBranchPage"]
    committee_name = _("社区大党委")
    composition_rules = (*LEADERSHIP_RULES, OddTotal(), MaxTotal(11), PartTimeRange(2, 3))
    is_creatable = True

    class Meta:
        verbose_name = _("社区大党委")
        verbose_name_plural = _("社区大党委")


class GridBranchPage(OrganisationPage):
    """网格党支部 (1网格1支部, 多网格1支部 or 1网格多支部: the grid is named in ``grids``)."""

    grids = models.CharField(
        _("所辖网格"), max_length=255, blank=True, help_text=_("多个网格用顿号分隔")
    )

    parent_page_types = ["orgs.CommunityPage"]
    committee_name = _("网格党支部")
    composition_rules = (*LEADERSHIP_RULES, MaxTotal(5))
    is_creatable = True
    content_panels = [*OrganisationPage.content_panels[:2], FieldPanel("grids"),
                      *OrganisationPage.content_panels[2:]]  # fmt: skip

    class Meta:
        verbose_name = _("网格党支部")
        verbose_name_plural = _("网格党支部")


class PartyGroupPage(OrganisationPage):
    """楼栋党小组 / "党群微家", hosted in a member's home; its 家委会 is about 3 people."""

    host = models.CharField(_("微家户主"), max_length=50, blank=True)

    parent_page_types = ["orgs.GridBranchPage"]
    committee_name = _("党群微家家委会")
    composition_rules = (MaxTotal(3),)
    is_creatable = True
    content_panels = [*OrganisationPage.content_panels[:2], FieldPanel("host"),
                      *OrganisationPage.content_panels[2:]]  # fmt: skip

    class Meta:
        verbose_name = _("党群微家")
        verbose_name_plural = _("党群微家")


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("机关")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    STATE_FIRM = "state_firm", _("国有企业")
    PRIVATE_FIRM = "private_firm", _("非公企业")
    SOCIAL_ORGANISATION = "social_organisation", _("社会组织")
    COMMERCIAL_BUILDING = "commercial_building", _("商圈楼宇")
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")


class ResidentUnitPage(OrganisationPage):
    """驻区单位. Co-building links it to a street or community; its Party affiliation
    (隶属关系) stays where it was, which is why it is a leaf of the co-building tree
    and not a child in the tree of Party authority."""

    kind = models.CharField(_("单位类别"), max_length=32, choices=UnitKind.choices)
    party_organisation = models.CharField(_("党组织名称"), max_length=120, blank=True)
    party_member_count = models.PositiveIntegerField(_("党员人数"), null=True, blank=True)

    parent_page_types = ["orgs.StreetPage", "orgs.CommunityPage"]
    committee_name = _("单位党组织")
    is_creatable = True
    content_panels = [
        *OrganisationPage.content_panels[:1],
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("party_organisation"),
                FieldPanel("party_member_count"),
            ],
            heading=_("单位信息"),
        ),
        *OrganisationPage.content_panels[1:],
    ]
    api_fields = [*OrganisationPage.api_fields, APIField("kind"), APIField("party_member_count")]

    class Meta:
        verbose_name = _("驻区单位")
        verbose_name_plural = _("驻区单位")

    @property
    def is_two_new(self):
        """ "两新" organisations: private firms and social organisations."""
        return self.kind in {UnitKind.PRIVATE_FIRM, UnitKind.SOCIAL_ORGANISATION}


class ParkPage(OrganisationPage):
    """园区: an industrial park organised in co-building circles."""

    parent_page_types = ["orgs.DistrictPage", "orgs.StreetPage"]
    committee_name = _("园区党组织")
    is_creatable = True

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")


class CoBuildingCirclePage(OrganisationPage):
    """党建共建圈: member units of a park around a core Party organisation."""

    core_unit = models.ForeignKey(
        ResidentUnitPage,
        verbose_name=_("核心党组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_circles",
    )
    member_units = ParentalManyToManyField(
        ResidentUnitPage, verbose_name=_("成员单位"), blank=True, related_name="circles"
    )

    parent_page_types = ["orgs.ParkPage"]
    committee_name = _("共建圈")
    is_creatable = True
    content_panels = [
        *OrganisationPage.content_panels[:1],
        FieldPanel("core_unit"),
        FieldPanel("member_units"),
        *OrganisationPage.content_panels[1:],
    ]

    class Meta:
        verbose_name = _("党建共建圈")
        verbose_name_plural = _("党建共建圈")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["circle_units"] = self.member_units.live().order_by("path")
        return context
