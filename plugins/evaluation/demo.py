"""Demo evaluation data in 江安 (idempotent): last year's 述职 and 测评 of member_a
(closed, 优秀) and member_b (open, with voting links), monthly reports of
every street for last year and this year so far (on time, late, missing, one
commented), 新华街道's score weights
with its published ranking, and a few awards."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongjian_site import clock
from plugins.orgs.models import CommunityPage, DistrictPage, OrganisationPage, StreetPage

from .grading import Grade
from .models import (
    AnnualReport,
    Award,
    AwardKind,
    MonthlyAnswer,
    MonthlyItem,
    MonthlyReport,
    RaterKind,
    RatingRater,
    RatingRound,
    RatingVote,
    ScoreWeight,
    ScoreWeights,
)
from .models.monthly import due_date
from .models.reports import appointment_in_year
from .scoring import publish_ranking

ITEMS = [
    ("开展共建活动", "number", "次"),
    ("参与党员群众", "number", "人"),
    ("解决群众需求", "number", "个"),
    ("工作亮点与问题", "text", ""),
]
RATERS = [
    ("李明", RaterKind.COMMITTEE),
    ("王芳", RaterKind.COMMITTEE),
    ("张伟", RaterKind.PARTY_MEMBER),
    ("刘洋", RaterKind.RESIDENT),
    ("陈静", RaterKind.RESIDENT),
]


def _aware(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _report(username, slug, year, text):
    user = get_user_model().objects.filter(username=username).first()
    committee = CommunityPage.objects.filter(slug=slug).first()
    if not user or not committee or not appointment_in_year(user, committee, year):
        return None
    report, _created = AnnualReport.objects.get_or_create(
        user=user,
        committee=committee,
        year=year,
        defaults={
            "title": f"{user.get_full_name() or user.username} {year} 年度述职报告",
            "body": f"<p>{text}</p>",
        },
    )
    return report


def _round(report, closes_at, votes):
    rating_round = RatingRound.objects.filter(report=report).first()
    if rating_round is not None:
        return rating_round
    rating_round = RatingRound.objects.create(report=report, closes_at=closes_at)
    for order, (name, kind) in enumerate(RATERS):
        RatingRater.objects.create(round=rating_round, name=name, kind=kind, sort_order=order)
    raters = list(rating_round.raters.all())
    for rater, grade in zip(raters, votes, strict=False):
        RatingVote.objects.create(round=rating_round, grade=grade)
        rater.voted_at = timezone.now()
        rater.save(update_fields=["voted_at"])
    return rating_round


def _monthly(year, today):
    """Every district's streets report (an empty row on the grid reads 逾期未报)."""
    return sum(_monthly_of(district, year, today) for district in DistrictPage.objects.all())


def _monthly_of(district, year, today):
    items = []
    for order, (label, kind, unit) in enumerate(ITEMS):
        item, _created = MonthlyItem.objects.get_or_create(
            district=district,
            label=label,
            defaults={"kind": kind, "unit": unit, "sort_order": order},
        )
        items.append(item)
    made = 0
    for street in StreetPage.objects.descendant_of(district).order_by("path"):
        for month in range(1, 13):
            due = due_date(year, month)
            if due >= today:
                break
            # 新华 reports every month, late in March; 临江 misses the last two months.
            if street.slug == "linjiang" and month >= 11:
                continue
            late = (street.slug == "xinhua" and month == 3) or (
                street.slug == "linjiang" and month == 6
            )
            submitted = due + timedelta(days=3) if late else due - timedelta(days=2)
            report, created = MonthlyReport.objects.get_or_create(
                street=street,
                year=year,
                month=month,
                defaults={"submitted_at": _aware(submitted)},
            )
            if not created:
                continue
            made += 1
            for item in items:
                value = (
                    "；".join(["开展结对共建", "完成微心愿认领"])
                    if item.kind == "text"
                    else (str((month * 3 + item.sort_order * 7) % 20 + 2))
                )
                MonthlyAnswer.objects.create(report=report, item=item, value=value)
            if street.slug == "xinhua" and month == 3:
                report.comment = "三月月报逾期报送，请街道按时报送；活动开展较好，需求解决数偏少。"
                report.commented_at = _aware(submitted + timedelta(days=2))
                report.save(update_fields=["comment", "commented_at"])
    return made


def load_demo(stdout):
    today = clock.today()
    year = today.year - 1
    report_a = _report(
        "member_a",
        "xingfuli",
        year,
        "全年参加社区大党委会 11 次，联系医院开展义诊 4 次，认领“健康进家庭”项目并按期完成。",
    )
    report_b = _report(
        "member_b", "guangming", year, "牵头组织“四点半课堂”，带动学校党员到社区报到。"
    )
    if report_a:
        rating_round = _round(
            report_a,
            _aware(today - timedelta(days=30)),
            [Grade.EXCELLENT, Grade.EXCELLENT, Grade.EXCELLENT, Grade.COMPETENT],
        )
        if rating_round.closed_at is None:
            rating_round.close()
    if report_b:
        _round(report_b, _aware(today + timedelta(days=30)), [Grade.COMPETENT])

    # Last year complete, and this year up to the last report already due: the 月报表
    # opens on the current year, which would otherwise show every past month 逾期未报.
    months = _monthly(year, today) + _monthly(today.year, today)

    street = StreetPage.objects.filter(slug="xinhua").first()
    if street and not ScoreWeights.objects.filter(street=street, year=year).exists():
        weights = ScoreWeights.objects.create(street=street, year=year)
        for order, (key, weight) in enumerate(
            [("activities", 50), ("appointments", 30), ("member_ratings", 20)]
        ):
            ScoreWeight.objects.create(weights=weights, source=key, weight=weight, sort_order=order)
        publish_ranking(weights)

    awards = [
        (AwardKind.ADVANCED_ORGANISATION, "xingfuli", "", "中共江北区委"),
        (AwardKind.SERVICE_BRAND, "jiangan-no1-hospital", "", "中共江北区委"),
        (
            AwardKind.EXCELLENT_PART_TIME_MEMBER,
            "jiangan-no1-hospital",
            "member_a",
            "新华街道党工委",
        ),
    ]
    for kind, slug, username, by in awards:
        organisation = OrganisationPage.objects.filter(slug=slug).order_by("path").first()
        if (
            organisation is None
            or Award.objects.filter(kind=kind, year=year, organisation=organisation).exists()
        ):
            continue
        user = get_user_model().objects.filter(username=username).first() if username else None
        name = (user.get_full_name() or user.username) if user else ""
        Award.objects.create(
            kind=kind,
            year=year,
            organisation=organisation,
            awarded_by=by,
            user=user,
            person_name=name,
        )
    stdout.write(
        f"  考核评价：{year} 年度述职与测评、月报表 {months} 份、新华街道单位排名、评选表彰"
    )
