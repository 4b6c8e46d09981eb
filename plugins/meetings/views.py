"""Admin reports: 会议情况 (overdue marks per committee) and 出席率 (yearly attendance).

Who sees what: a committee's meetings and marks are shown to whoever may edit that
committee's page (its secretary, editors above it, superusers); attendance rows as the
attendance policy says (policies.py): to those, and to part-time members for the rows
of their own units only. A unit outside that scope answers 403, also when typed into
the URL.
"""

from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian_site.params import id_param, int_param
from plugins.orgs.models import ResidentUnitPage

from . import rules
from .models import MeetingPage
from .policies import attendance_policy, committees_user_manages
from .stats import committee_marks, member_rates


def visible_committees(user):
    """Community and street pages whose meetings ``user`` may manage."""
    return committees_user_manages(user)


def visible_attendances(user):
    """Attendance rows ``user`` may read (the attendance policy's answer)."""
    return attendance_policy.instances_user_has_permission_for(user, "view")


def meeting_status(request):
    """会议情况: each committee's marks, last and next meetings."""
    today = timezone.localdate()
    committees = visible_committees(request.user)
    marks = committee_marks(committees, today)
    last = {}
    scope = Q()
    for committee in committees:
        scope |= Q(path__startswith=committee.path, depth=committee.depth + 2)
    if committees:
        held = MeetingPage.objects.filter(scope, date__lte=today).order_by("date", "pk")
        for meeting in held.only("path", "date", "kind", "title"):
            last[(meeting.path[: -2 * MeetingPage.steplen], meeting.kind)] = meeting
    rows = []
    for committee in committees:
        committee_marks_ = marks[committee.pk]
        rows.append({
            "committee": committee,
            "marks": committee_marks_,
            "level": rules.worst(committee_marks_),
            "last_committee": last.get((committee.path, rules.COMMITTEE)),
            "last_joint": last.get((committee.path, rules.JOINT)),
        })  # fmt: skip
    return TemplateResponse(request, "meetings/reports/status.html",
                            {"rows": rows, "today": today})  # fmt: skip


def attendance_report(request):
    """出席率: yearly attendance of every part-time member the user may see."""
    today = timezone.localdate()
    year = int_param(request, "year", today.year, minimum=2000, maximum=today.year + 1)
    rows = visible_attendances(request.user)
    unit = None
    if request.GET.get("unit"):
        unit_id = id_param(request, "unit")
        unit = ResidentUnitPage.objects.filter(pk=unit_id).first() if unit_id else None
        if unit is None or not (
            attendance_policy.user_has_permission_for_page(request.user, "view", unit)
            or rows.filter(source_unit=unit).exists()
        ):
            # Wagtail would turn PermissionDenied into a redirect; a record outside the
            # user's units answers a plain 403, as the access plugin's records do.
            return forbidden(request, _("您无权查看该单位的出席记录。"))
        rows = rows.filter(source_unit=unit)
    people = member_rates(rows, year, today)
    absences = []
    if unit is not None:
        absences = list(
            rows.filter(present=False, meeting__date__year=year, meeting__date__lte=today)
            .select_related("meeting").order_by("meeting__date")
        )  # fmt: skip
    years = list(range(today.year, today.year - 5, -1))
    return TemplateResponse(request, "meetings/reports/attendance.html", {
        "people": people, "year": year, "years": years, "unit": unit, "absences": absences,
    })  # fmt: skip


def forbidden(request, message):
    return TemplateResponse(request, "meetings/reports/forbidden.html", {"message": message},
                            status=403)  # fmt: skip
