"""Demo meetings of 幸福里社区大党委 (community A), dated relative to today so the marks,
the attendance rates and the notice warning all have something to show. Idempotent:
a meeting whose slug exists under the index is left as it is."""

from datetime import date, timedelta

from django.utils import timezone

from plugins.orgs.models import CommunityPage, ResidentUnitPage

from . import rules
from .forms import committee_members
from .models import Attendance, MeetingPage
from .setup import ensure_index, published, setup

#: Absences by (month offset, person): month offset -1 is last month.
ABSENCES = {(-2, "韩雪"): "参加上级党组织集中培训", (-1, "王建国"): "医院急诊值班"}
COMMITTEE_TOPICS = "通报上月共建项目进展\n研究本月“微心愿”认领安排\n审议驻区单位资源清单更新"
COMMITTEE_MINUTES = "<p>会议由书记陈晓梅主持，通报了上月共建项目进展，研究了本月工作安排。</p>"


def _month_start(today, offset):
    year, month = divmod(today.year * 12 + today.month - 1 + offset, 12)
    return date(year, month + 1, 1)


def load_demo(stdout):
    setup()  # the demo committees did not exist when setup_site ran
    community = CommunityPage.objects.filter(slug="xingfuli").first()
    if community is None:
        return
    index = ensure_index(community)
    today = timezone.localdate()
    units = {u.slug: u for u in ResidentUnitPage.objects.all()}
    members = committee_members(community, today)
    made = 0

    for offset in (-3, -2, -1, 0):
        day = _month_start(today, offset).replace(day=5)
        absences = {name: why for (o, name), why in ABSENCES.items() if o == offset}
        made += _ensure(index, members, f"committee-{day:%Y-%m}", absences, today,
                        title=f"{day.month}月社区大党委委员会议", kind="committee", date=day,
                        topics=COMMITTEE_TOPICS, minutes=COMMITTEE_MINUTES)  # fmt: skip

    start, _end = rules.quarter_bounds(today)
    last_quarter = rules.quarter_bounds(start - timedelta(days=1))[0]
    joint_day = last_quarter + timedelta(days=49)  # mid-quarter
    quarter = rules.quarter_number(last_quarter)
    made += _ensure(
        index, members, f"joint-{last_quarter.year}-q{quarter}", {"孙明": "参加市教育局会议"},
        today,
        title=f"{last_quarter.year}年第{quarter}季度党建联席会议", kind="joint", date=joint_day,
        notice_sent_on=joint_day - timedelta(days=8),
        recipients=[units[s] for s in ("jiangan-no1-hospital", "jiangan-no12-middle-school",
                                        "huaxin-tech") if s in units],
        topics="通报本季度需求清单认领情况\n协商老旧小区停车难问题\n确定下季度共建项目",
        minutes="<p>会议通报了需求清单认领情况，成员单位围绕停车难问题协商形成共识。</p>",
        resolutions=[
            {"type": "resolution", "value": {
                "text": "江安市第一人民医院夜间开放内部停车场，供周边居民错时停车。",
                "dissents": [{"unit": units["huaxin-tech"].pk,
                              "opinion": "建议先试行三个月再评估，我单位保留意见，但参与落实。"}]
                if "huaxin-tech" in units else []}},
            {"type": "resolution", "value": {
                "text": "第十二中学寒暑假向社区青少年开放运动场。", "dissents": []}},
        ],
    )  # fmt: skip
    soon = today + timedelta(days=4)
    made += _ensure(
        index, [], "adhoc-elevator", {}, today,
        title="临时党建联席会议：老旧小区加装电梯", kind="joint", ad_hoc=True, date=soon,
        notice_sent_on=today, place="幸福里社区党群服务中心二楼会议室",
        recipients=[units[s] for s in ("jiangan-no1-hospital", "huaxin-tech") if s in units],
        topics="协商3号楼加装电梯资金分摊方案",
    )  # fmt: skip
    stdout.write(f"  会议记录：新建 {made} 条（幸福里社区）")


def _ensure(index, members, slug, absences, today, recipients=(), **fields):
    if MeetingPage.objects.child_of(index).filter(slug=slug).exists():
        return 0
    fields.setdefault("place", "幸福里社区党群服务中心会议室")
    meeting = MeetingPage(slug=slug, start_time=_time(), **fields, **published())
    if meeting.date <= today:
        meeting.attendances = [
            Attendance(member=m, person_name=m.person_name, source_unit=m.source_unit,
                       present=m.person_name not in absences,
                       absence_reason=absences.get(m.person_name, ""), sort_order=i,
                       phone=demo_phone(i))
            for i, m in enumerate(members)
        ]  # fmt: skip
    meeting.notice_recipients = list(recipients)
    index.add_child(instance=meeting)
    return 1


def demo_phone(seat):
    """The invented sign-in phone of the committee's ``seat``-th member (demo only, in the
    199 0000 range the other demos use): 199 0000 20xx, so 扫码签到 can be tried with the
    last four digits 20xx on a meeting created in the admin (it carries them over)."""
    return f"1990000{2001 + seat}"


def _time():
    from datetime import time

    return time(14, 30)
