"""Registration only: admin URLs and reports, warnings after saving, header buttons,
the home-page section and the meeting index of every new committee."""

from django.apps import apps
from django.contrib import messages
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from plugins.access.api import register_record_policies
from plugins.orgs.models import CommunityPage, StreetPage

from . import views
from .attendance_export import attendance_export
from .policies import attendance_policy

register_record_policies(attendance_policy)

admin_urlpatterns = [
    path("status/", views.meeting_status, name="status"),
    path("attendance/", views.attendance_report, name="attendance"),
    path("attendance/export/", attendance_export, name="attendance_export"),
]


class ReportMenuItem(MenuItem):
    """会议情况 / 会议出席率: for those the attendance policy lets read some row (the
    committees' editors, the units' people); the reports show only what is theirs."""

    def is_shown(self, request):
        return attendance_policy.user_has_permission(request.user, "view")


@hooks.register("register_admin_urls")
def register_urls():
    return [path("meetings/", include((admin_urlpatterns, "meetings_admin"),
                                      namespace="meetings_admin"))]  # fmt: skip


@hooks.register("register_reports_menu_item")
def register_status_report():
    return ReportMenuItem(_("会议情况"), reverse("meetings_admin:status"), name="meeting-status",
                          icon_name="date", order=300)  # fmt: skip


@hooks.register("register_reports_menu_item")
def register_attendance_report():
    return ReportMenuItem(_("会议出席率"), reverse("meetings_admin:attendance"),
                          name="meeting-attendance", icon_name="group", order=310)  # fmt: skip


def _after_save(request, page):
    from .models import MeetingPage
    from .setup import attach_minutes_workflow, ensure_index

    page = page.specific
    if isinstance(page, MeetingPage):
        for finding in page.notice_warnings():
            messages.warning(request, finding)
        return
    if isinstance(page, (CommunityPage, StreetPage)):
        attach_minutes_workflow([ensure_index(page)])


hooks.register("after_create_page", _after_save)
hooks.register("after_edit_page", _after_save)


class MeetingMarkButton(PageMenuItem):
    """会议 on a committee's page header, labelled with its most urgent mark."""

    icon_name = "date"

    def __init__(self, *args, mark_level, **kwargs):
        super().__init__(*args, **kwargs)
        self.mark_level = mark_level
        self.label = {
            "red": _("会议：逾期"), "amber": _("会议：即将到期"), "ok": _("会议：正常"),
        }[mark_level]  # fmt: skip
        self.url = reverse("meetings_admin:status") + f"#committee-{self.page.pk}"

    def is_shown(self, user):
        return self.page.permissions_for_user(user).can_edit()


@hooks.register("register_page_header_buttons")
def meeting_mark_button(page, user, view_name, next_url=None):
    if page.specific_class not in (CommunityPage, StreetPage):
        return
    if not page.permissions_for_user(user).can_edit():
        return
    from . import rules
    from .stats import committee_marks

    level = rules.worst(committee_marks([page])[page.pk])
    yield MeetingMarkButton(page=page, priority=80, mark_level=level)


@hooks.register("gongjian_home_sections")
def upcoming_meetings_section(request, home_page):
    """Contract 1: the next meetings below the home page (order 40)."""
    try:
        from gongjian_site.home import HomeSection
    except ImportError:
        return None
    from .models import upcoming_meetings

    meetings = upcoming_meetings(home_page)
    if not meetings:
        return None
    return HomeSection(key="meetings", title=str(_("近期会议")),
                       template="meetings/includes/upcoming_meetings.html",
                       context={"meetings": meetings}, order=40)  # fmt: skip


@hooks.register("register_archive_types")
def archive_types():
    """Published meetings (their minutes and resolutions) are searchable in the archive."""
    from .models import MeetingPage

    return [(MeetingPage, "minutes", _("会议纪要"))]


@hooks.register("gongjian_sitemap_urls")
def sitemap_urls(request, site_root):
    """The iCal feed of every committee that holds meetings (communities and streets)."""
    from wagtail.models import Page

    from gongjian_site.navigation import SitemapUrl

    from .models import MeetingIndexPage

    parents = (
        MeetingIndexPage.objects.live().public().descendant_of(site_root)
        .values_list("path", flat=True)
    )  # fmt: skip
    step = Page.steplen
    committees = Page.objects.live().public().filter(path__in={p[:-step] for p in parents})
    return [
        SitemapUrl(reverse("meetings:ical", args=[pk]))
        for pk in committees.values_list("pk", flat=True)
    ]


# Evaluation is optional for meetings: its API is imported only when it is installed.
@hooks.register("register_evaluation_metrics")
def evaluation_metrics():
    """各单位会议出席率: a chart on the evaluation dashboard and public summary."""
    if not apps.is_installed("plugins.evaluation"):
        return []
    from .metrics import metrics

    return metrics()


@hooks.register("register_evaluation_sources")
def evaluation_sources():
    """会议出席: a source of the yearly co-building score."""
    if not apps.is_installed("plugins.evaluation"):
        return []
    from .metrics import sources

    return sources()
