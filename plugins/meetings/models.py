"""Committee and joint meetings (议事) as pages, so their minutes can go through the
会议纪要公示 workflow like any other page.

Tree: organisation page (社区大党委 / 街道党工委) → 会议 index (one per committee, created
by setup) → meeting pages. The workflow is attached to the index, so it covers the
meetings and nothing else of the organisation.
"""

from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from plugins.orgs.api import validate_phone
from plugins.orgs.models import CommitteeMember, CommunityPage, StreetPage

from . import rules
from .forms import MeetingPageForm
from .panels import NoticePanel, SignInPanel

UPCOMING_LIMIT = 5


class MeetingKind(models.TextChoices):
    COMMITTEE = rules.COMMITTEE, _("委员会议")
    JOINT = rules.JOINT, _("党建联席会议")


class DissentBlock(blocks.StructBlock):
    unit = blocks.PageChooserBlock(page_type="orgs.ResidentUnitPage", label=_("持不同意见的单位"))
    opinion = blocks.TextBlock(label=_("意见"))

    class Meta:
        label = _("不同意见")
        icon = "warning"


class ResolutionBlock(blocks.StructBlock):
    """决议: what was decided, and any member unit's recorded dissent. A unit that
    dissents keeps its say on record but still takes part in carrying it out."""

    text = blocks.TextBlock(label=_("决议内容"))
    dissents = blocks.ListBlock(DissentBlock(), label=_("保留意见（成员单位可记录不同意见）"))

    class Meta:
        label = _("决议")
        icon = "tick"
        template = "meetings/blocks/resolution.html"


class MeetingIndexPage(Page):
    """会议: the meetings of one committee (community 大党委 or street 综合党委)."""

    intro = models.TextField(_("说明"), blank=True)

    parent_page_types = ["orgs.CommunityPage", "orgs.StreetPage"]
    subpage_types = ["meetings.MeetingPage"]
    max_count_per_parent = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")

    def get_template(self, request, *args, **kwargs):
        return "meetings/meeting_index_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        meetings = MeetingPage.objects.child_of(self).live().public().order_by("date", "start_time")
        context["committee"] = self.get_parent()
        context["upcoming"] = list(meetings.filter(date__gte=today))
        context["past"] = list(
            meetings.filter(date__lt=today).order_by("-date", "-start_time")[:50]
        )
        return context


class MeetingPage(Page):
    """One committee meeting (委员会议) or joint meeting (党建联席会议)."""

    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices)
    ad_hoc = models.BooleanField(
        _("临时会议"), default=False, help_text=_("成员单位提议临时召开的党建联席会议")
    )
    date = models.DateField(_("会议日期"), db_index=True)
    start_time = models.TimeField(_("开始时间"), null=True, blank=True)
    end_time = models.TimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("会议地点"), max_length=255, blank=True)
    topics = models.TextField(_("会议议题"), blank=True, help_text=_("每行一项议题"))
    notice_sent_on = models.DateField(
        _("通知发出日期"),
        null=True,
        blank=True,
        help_text=_("党建联席会议的议题应至少提前一周通知成员单位"),
    )
    notice_recipients = ParentalManyToManyField(
        "orgs.ResidentUnitPage",
        verbose_name=_("通知的成员单位"),
        blank=True,
        related_name="meeting_notices",
    )
    minutes = RichTextField(
        _("会议纪要"), blank=True, features=["h3", "bold", "italic", "ol", "ul", "link"]
    )
    resolutions = StreamField(
        [("resolution", ResolutionBlock())], verbose_name=_("会议决议"), blank=True
    )

    parent_page_types = ["meetings.MeetingIndexPage"]
    subpage_types = []
    base_form_class = MeetingPageForm

    def archive_body(self):
        """What the archive search (search/) indexes: topics, minutes and resolutions,
        with phone numbers hidden exactly as on the public page."""
        from django.utils.html import strip_tags

        from .templatetags.meetings_tags import hide_phones

        parts = [self.topics, strip_tags(str(self.minutes))]
        for block in self.resolutions:
            parts.extend(block.block.get_searchable_content(block.value))
        return hide_phones("\n".join(part for part in parts if part))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("ad_hoc")]),
                FieldRowPanel(
                    [FieldPanel("date"), FieldPanel("start_time"), FieldPanel("end_time")]
                ),
                FieldPanel("place"),
                FieldPanel("topics"),
            ],
            heading=_("会议安排"),
        ),
        MultiFieldPanel(
            [
                NoticePanel(),
                FieldPanel("notice_sent_on"),
                FieldPanel("notice_recipients"),
            ],
            heading=_("会议通知"),
        ),
        InlinePanel(
            "attendances",
            heading=_("出席情况"),
            label=_("参会人员"),
            help_text=_("新建会议时按班子名单预填；缺席须填写原因"),
        ),
        MultiFieldPanel([SignInPanel()], heading=_("扫码签到记录")),
        FieldPanel("minutes"),
        FieldPanel("resolutions"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("topics"),
        index.SearchField("minutes"),
        index.SearchField("place"),
        index.FilterField("date"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_time and self.end_time and self.end_time < self.start_time:
            errors["end_time"] = _("结束时间不能早于开始时间。")
        if self.notice_sent_on and self.date and self.notice_sent_on > self.date:
            errors["notice_sent_on"] = _("通知发出日期不能晚于会议日期。")
        if self.ad_hoc and self.kind != MeetingKind.JOINT:
            errors["ad_hoc"] = _("只有党建联席会议可以临时召开。")
        if errors:
            raise ValidationError(errors)

    # --- What the rules say about this meeting ----------------------------------------

    def notice_warnings(self, recipient_count=None):
        """The notice rule's findings (joint meetings: one week ahead)."""
        if recipient_count is None and self.pk:
            recipient_count = self.notice_recipients.count()
        return rules.notice_warnings(
            self.kind, self.date, self.notice_sent_on, recipient_count, self.ad_hoc
        )

    @cached_property
    def committee(self):
        """The organisation whose committee meets: the index's parent."""
        parent = self.get_parent()
        if parent is None:
            return None
        grandparent = parent.get_parent()
        return grandparent.specific if grandparent else None

    @property
    def topic_list(self):
        return [line.strip() for line in (self.topics or "").splitlines() if line.strip()]

    @property
    def starts_at(self):
        """Aware start datetime (midnight when the time is unknown)."""
        moment = datetime.combine(self.date, self.start_time or time(0, 0))
        return timezone.make_aware(moment)

    def get_template(self, request, *args, **kwargs):
        return "meetings/meeting_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        parent = self.get_parent()
        committee = parent.get_parent() if parent else None
        context["committee"] = committee
        rows = list(self.attendances.all())
        context["expected"] = len(rows)
        context["present"] = sum(1 for row in rows if row.present)
        # Units are named; people, phones and absence reasons stay in the admin.
        context["recipients"] = self.notice_recipients.live().order_by("path")
        from django.urls import reverse

        context["poster_url"] = reverse("meetings_public:poster", args=[self.pk])
        # The sign-in code only for those who organise the meeting (logged in, so the
        # page cache never keeps it): its token is what keeps strangers out.
        user = getattr(request, "user", None)
        organiser = user is not None and user.is_authenticated
        if organiser and self.permissions_for_user(user).can_edit():
            from . import signin

            token = signin.token_for(self)
            context["signin_url"] = reverse("meetings_public:sign_in", args=[token])
            context["signin_poster_url"] = reverse("meetings_public:sign_in_poster", args=[token])
            context["signed_in"] = self.sign_ins.count()
        return context


class Attendance(Orderable):
    """One committee member at one meeting: present, or absent with a reason.

    Name and source unit are copied from the committee seat at the time, so the record
    stays true after the committee changes (the seat link is then set to null)."""

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        CommitteeMember,
        verbose_name=_("班子成员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendances",
    )
    person_name = models.CharField(_("姓名"), max_length=50, blank=True)
    source_unit = models.ForeignKey(
        "orgs.ResidentUnitPage",
        verbose_name=_("原单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_attendances",
        help_text=_("兼职委员所在的驻区单位；选择班子成员时自动填写"),
    )
    present = models.BooleanField(_("出席"), default=True)
    absence_reason = models.CharField(_("缺席原因"), max_length=255, blank=True)
    phone = models.CharField(
        _("签到手机号（不公开）"),
        max_length=32,
        blank=True,
        validators=[validate_phone],
        help_text=_("扫码签到时未登录的参会人员须输入此号码的后四位；新建会议时沿用上次登记的号码"),
    )

    panels = [
        FieldRowPanel([FieldPanel("member"), FieldPanel("person_name"), FieldPanel("source_unit")]),
        FieldRowPanel([FieldPanel("present"), FieldPanel("absence_reason"), FieldPanel("phone")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")

    def __str__(self):
        return f"{self.person_name} · {'出席' if self.present else '缺席'}"

    def clean(self):
        super().clean()
        if self.member_id:
            member = self.member
            self.person_name = self.person_name or member.person_name
            if not self.source_unit_id:
                self.source_unit_id = member.source_unit_id
        errors = {}
        if not self.person_name:
            errors["person_name"] = _("请选择班子成员或填写姓名。")
        if not self.present and not (self.absence_reason or "").strip():
            errors["absence_reason"] = _("缺席须填写缺席原因。")
        if errors:
            raise ValidationError(errors)


class SignInMethod(models.TextChoices):
    ACCOUNT = "account", _("账号登录")
    PHONE = "phone", _("手机尾号核对")


class SignIn(models.Model):
    """One scan-to-sign-in (扫码签到) of an expected attendee: when, how, by which account.

    One per attendance row (signing in twice changes nothing). Kept apart from the
    attendance row, which the meeting's revisions own: publishing an older revision
    may rewrite the row, the sign-in stays on record (the editor's form shows it)."""

    meeting = models.ForeignKey(
        MeetingPage, on_delete=models.CASCADE, related_name="sign_ins", verbose_name=_("会议")
    )
    attendance = models.OneToOneField(
        Attendance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_in",
        verbose_name=_("出席记录"),
    )
    person_name = models.CharField(_("姓名"), max_length=50)
    method = models.CharField(_("签到方式"), max_length=16, choices=SignInMethod.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_sign_ins",
    )
    signed_in_at = models.DateTimeField(_("签到时间"), default=timezone.now)
    address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("签到记录")
        verbose_name_plural = _("签到记录")
        ordering = ["signed_in_at", "pk"]

    def __str__(self):
        when = timezone.localtime(self.signed_in_at)
        return f"{self.person_name} · {self.get_method_display()} · {when:%Y-%m-%d %H:%M}"


def committee_of(page):
    """The community/street page a meeting or meeting index belongs to, or None."""
    for ancestor in page.get_ancestors(inclusive=True).reverse():
        if ancestor.specific_class in (CommunityPage, StreetPage):
            return ancestor
    return None


def upcoming_meetings(under, today=None, limit=UPCOMING_LIMIT):
    """Live public meetings on or after ``today`` below ``under`` (a page), soonest first."""
    today = today or timezone.localdate()
    return list(
        MeetingPage.objects.live().public().descendant_of(under)
        .filter(date__gte=today).order_by("date", "start_time", "pk")[:limit]
    )  # fmt: skip
