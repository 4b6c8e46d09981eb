"""Demo profile of the access plugin: who may edit what in 江安.

member_a and member_b are part-time members whose appointments give them their own
unit; secretary_a reviews community A; publicity edits the first district. Two
invented people show the listing filters: one term ends within 90 days, one has
ended. Idempotent: existing appointments and grants are left as they are.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from gongjian_site import clock
from plugins.orgs.api import demo_user
from plugins.orgs.models import CommunityPage, DistrictPage, ResidentUnitPage

from .grants import grant_role
from .media import ensure_unit_collections
from .models import Appointment, AppointmentRole, default_end
from .workflow import ensure_review_workflow


def _page(model, slug):
    return model.objects.get(slug=slug)


def load_demo(stdout):
    User = get_user_model()
    today = clock.today()
    term_start = date(today.year - 1, 1, 1)
    community_a = _page(CommunityPage, "xingfuli")
    community_b = _page(CommunityPage, "guangming")
    district = DistrictPage.objects.filter(depth=3).order_by("path").first()
    unit_a = _page(ResidentUnitPage, "jiangan-no1-hospital")
    unit_b = _page(ResidentUnitPage, "jiangbei-experimental-primary")
    school = _page(ResidentUnitPage, "jiangan-no12-middle-school")

    users = {u.username: u for u in User.objects.filter(
        username__in=["member_a", "member_b", "secretary_a", "publicity"])}  # fmt: skip
    extra = {
        "member_c": ("孙明", "兼职委员，任期将满（演示）"),
        "member_d": ("冯磊", "联络员，任期已满（演示）"),
    }
    for username, (name, note) in extra.items():
        user = demo_user(username, name[0], name[1:], role=f"幸福里社区（A）{note}")
        users[username] = user

    plan = [
        # user, committee, source unit, role, division, start, end
        ("member_a", community_a, unit_a, AppointmentRole.PART_TIME_MEMBER, "健康服务、医疗义诊",
         term_start, default_end(term_start)),
        ("member_b", community_b, unit_b, AppointmentRole.PART_TIME_MEMBER, "青少年教育",
         term_start, default_end(term_start)),
        ("member_c", community_a, school, AppointmentRole.PART_TIME_MEMBER, "文明创建",
         today - timedelta(days=3 * 365 - 60), today + timedelta(days=60)),
        ("member_d", community_a, school, AppointmentRole.LIAISON, "联络协调",
         today - timedelta(days=3 * 365 + 30), today - timedelta(days=30)),
    ]  # fmt: skip
    created_count = 0
    for username, committee, unit, role, division, start, end in plan:
        if Appointment.objects.filter(user=users[username], committee=committee).exists():
            continue
        appointment = Appointment.objects.create(
            user=users[username], committee=committee, source_unit=unit, role=role,
            division_of_work=division, start_date=start, end_date=end,
        )  # fmt: skip
        appointment.assigned_units.set([unit])
        created_count += 1

    ensure_unit_collections()  # the demo pages arrived after setup() ran
    ensure_review_workflow()
    grant_role(community_a, users["secretary_a"], "reviewer")
    grant_role(district, users["publicity"], "editor")
    stdout.write(f"  兼职委员任职：新建 {created_count} 条；secretary_a 审核幸福里社区，"
                 f"publicity 编辑{district.title}")  # fmt: skip
