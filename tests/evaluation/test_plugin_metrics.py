"""The co-building and registration charts on the evaluation dashboard, and the real
co-building / meetings score sources, on a light demo (no activities, no search index)."""

import io
from collections import Counter
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from openpyxl import load_workbook

from gongjian_site import clock
from plugins.cobuilding.models import (
    PUBLIC_NEED_STATUSES,
    Agreement,
    Claim,
    ClaimKind,
    ClaimStatus,
    Commitment,
    CommitmentParty,
    Need,
    NeedStatus,
    Project,
    ProjectStatus,
)
from plugins.evaluation.metrics import all_metrics, get_metric
from plugins.evaluation.scope import public_scope, scope_for
from plugins.evaluation.scoring import compute_scores, units_of
from plugins.meetings.models import Attendance, MeetingIndexPage, MeetingPage
from plugins.orgs.models import CommunityPage, ResidentUnitPage, StreetPage
from plugins.registrations.models import MemberCheckIn, Status, UnitCheckIn, UnitSurvey
from tests.conftest import login

NEW = ("needs_claims", "projects", "registrations")
REGISTRATIONS = ((UnitSurvey, "单位摸排登记"), (UnitCheckIn, "单位党组织报到"),
                 (MemberCheckIn, "在职党员报到"))  # fmt: skip


@pytest.fixture
def city(db):
    from plugins.access import demo as access_demo
    from plugins.access import setup as access_setup
    from plugins.cobuilding import demo as cobuilding_demo
    from plugins.meetings import demo as meetings_demo
    from plugins.orgs import demo as orgs_demo
    from plugins.orgs import setup as orgs_setup
    from plugins.recyclebin import setup as recyclebin_setup
    from plugins.registrations import demo as registrations_demo

    out = io.StringIO()
    orgs_setup.setup()
    recyclebin_setup.setup()
    access_setup.setup()
    for demo in (orgs_demo, access_demo, cobuilding_demo, meetings_demo, registrations_demo):
        demo.load_demo(out)
    page = ResidentUnitPage.objects.get
    return {
        "xinhua": StreetPage.objects.get(slug="xinhua"),
        "A": CommunityPage.objects.get(slug="xingfuli"),
        "B": CommunityPage.objects.get(slug="guangming"),
        "UA": page(slug="jiangan-no1-hospital"),
        "UB": page(slug="jiangbei-experimental-primary"),
        "school": page(slug="jiangan-no12-middle-school"),
    }


def _need(community, title, status, year):
    return Need.objects.create(community=community, year=year, title=title, category="social",
                               raised_by="居民", status=status)  # fmt: skip


def _registered(model, month, year, **fields):
    record = model.objects.create(**fields)
    moment = timezone.make_aware(datetime(year, month, 10, 9, 0))
    model.objects.filter(pk=record.pk).update(submitted_at=moment)
    return record


def extra_records(city, year):
    """Community B's records (unit UB): none of them member_a's (unit UA) business."""
    B, UB = city["B"], city["UB"]
    _need(B, "待审核的需求", NeedStatus.PENDING, year)
    _need(B, "未采纳的需求", NeedStatus.REJECTED, year)
    need = _need(B, "光明社区课后托管", NeedStatus.CLAIMED, year)
    project = Project.objects.create(community=B, year=year, title="光明课后课堂", unit=UB,
                                     progress=40, status=ProjectStatus.ACTIVE)  # fmt: skip
    Claim.objects.create(kind=ClaimKind.NEED, community=B, year=year, unit=UB, need=need,
                         status=ClaimStatus.ACCEPTED, project=project)  # fmt: skip
    Claim.objects.create(kind=ClaimKind.NEED, community=B, year=year, unit=UB, need=need)
    code = "91510100MA6CXXXX0A"
    unit = {"unit_name": "江北实验小学", "party_organisation": "江北实验小学党支部",
            "secretary_name": "某某", "party_member_count": 20}  # fmt: skip
    _registered(UnitCheckIn, 3, year, community=B, unit=UB, credit_code=code, org_type="branch",
                liaison_name="钱", liaison_phone="19900003001", **unit)  # fmt: skip
    _registered(UnitSurvey, 3, year, community=B, unit=UB, credit_code=code, kind="school",
                address="光明路", contact_name="钱", contact_phone="19900003001",
                status=Status.REJECTED, **unit)  # fmt: skip
    member = {"party_organisation": "某支部", "workplace": "某单位", "service_post": "supervision",
              "mobile": "19900003002", "home_address": "光明小区"}  # fmt: skip
    _registered(MemberCheckIn, 5, year, community=B, name="孙", status=Status.APPROVED, **member)
    _registered(MemberCheckIn, 5, year, community=B, name="李", **member)
    _registered(MemberCheckIn, 5, year - 1, community=B, name="往年", **member)


def _xlsx(response):
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return [(row[0], list(row[1:])) for row in rows[2:]]


def _expected(scope, needs, claims, projects, regs):
    """The three tables computed straight from the given querysets."""
    need_counts = Counter(needs.values_list("status", flat=True))
    claim_counts = Counter(claims.values_list("status", flat=True))
    need_rows = [(f"需求·{label}", [need_counts[v], None]) for v, label in NeedStatus.choices
                 if not scope.public or v in PUBLIC_NEED_STATUSES]  # fmt: skip
    claim_rows = [(f"认领·{label}", [None, claim_counts[v]]) for v, label in ClaimStatus.choices]
    labels = dict(ProjectStatus.choices)
    project_rows = sorted((f"{p.title}（{labels[p.status]}）", [p.progress]) for p in projects)
    per_month = [Counter(timezone.localtime(r.submitted_at).month for r in qs) for qs in regs]
    reg_rows = [(f"{m}月", [c[m] for c in per_month]) for m in range(1, 13)]
    return {"needs_claims": need_rows + claim_rows, "projects": project_rows,
            "registrations": reg_rows}  # fmt: skip


def _tables(scope):
    tables = {key: get_metric(key).table(scope).rows for key in NEW}
    tables["projects"] = sorted(tables["projects"])
    return tables


def test_new_metrics_equal_direct_counts_in_every_view(client, city):
    year = clock.today().year
    extra_records(city, year)
    assert {"needs_claims", "projects", "registrations"} <= {m.key for m in all_metrics()}
    regs = [m.objects.filter(submitted_at__year=year).exclude(status=Status.REJECTED)
            for m, _label in REGISTRATIONS]  # fmt: skip

    # Everything, for the district's managers.
    scope = scope_for(get_user_model().objects.get(username="admin"), year)
    expected = _expected(
        scope, Need.objects.filter(year=year), Claim.objects.filter(year=year),
        Project.objects.filter(year=year), regs,
    )  # fmt: skip
    tables = _tables(scope)
    assert tables == expected
    pending = Need.objects.filter(year=year, status=NeedStatus.PENDING).count()
    assert dict(tables["needs_claims"])["需求·待审核"] == [pending, None] and pending >= 1
    assert dict(tables["needs_claims"])["认领·已接受"][1] >= 2
    assert dict(tables["registrations"])["3月"][1] >= 1  # the new UnitCheckIn
    assert sum(row[1][2] for row in tables["registrations"]) == regs[2].count() >= 3
    login(client, "admin")
    response = client.get(f"/admin/evaluation/dashboard/?year={year}")
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("需求与认领状态", "共建项目进度", "每月报到登记数", "光明课后课堂"):
        assert title in html
    for key in NEW:
        rows = _xlsx(client.get(f"/admin/evaluation/dashboard/{key}.xlsx?year={year}"))
        assert (sorted(rows) if key == "projects" else rows) == expected[key]

    # The public summary: moderated needs of public communities, approved registrations.
    client.logout()
    scope = public_scope(year)
    public_regs = [qs.filter(status=Status.APPROVED) for qs in regs]
    expected = _expected(
        scope, Need.objects.filter(year=year, status__in=PUBLIC_NEED_STATUSES),
        Claim.objects.filter(year=year), Project.objects.filter(year=year), public_regs,
    )  # fmt: skip
    tables = _tables(scope)
    assert tables == expected
    assert "需求·待审核" not in dict(tables["needs_claims"])
    assert "需求·未采纳" not in dict(tables["needs_claims"])
    response = client.get(f"/evaluation/statistics/?year={year}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "需求与认领状态" in html and "每月报到登记数" in html and "待审核" not in html
    for key in NEW:
        rows = _xlsx(client.get(f"/evaluation/statistics/{key}.xlsx?year={year}"))
        assert (sorted(rows) if key == "projects" else rows) == expected[key]


def test_part_time_member_counts_only_their_units_records(client, city):
    year = clock.today().year
    extra_records(city, year)
    UA = city["UA"]
    scope = scope_for(get_user_model().objects.get(username="member_a"), year)
    assert scope.unit_ids == {UA.pk}
    claims = Claim.objects.filter(year=year, unit=UA)
    needs = Need.objects.filter(year=year, claims__unit=UA).distinct()
    projects = Project.objects.filter(
        Q(claims__unit=UA) | Q(unit=UA) | Q(resources__unit=UA), year=year
    ).distinct()
    regs = [m.objects.filter(submitted_at__year=year, unit=UA).exclude(status=Status.REJECTED)
            for m in (UnitSurvey, UnitCheckIn)] + [MemberCheckIn.objects.none()]  # fmt: skip
    expected = _expected(scope, needs, claims, projects, regs)
    tables = _tables(scope)
    assert tables == expected
    assert claims.exists() and projects.exists() and regs[1].exists()
    assert sum(row[1][2] for row in tables["registrations"]) == 0
    assert not any("光明" in label for label, _values in tables["projects"])

    login(client, "member_a")
    html = client.get(f"/admin/evaluation/dashboard/?year={year}").content.decode()
    assert "共建项目进度" in html and "光明课后课堂" not in html
    for key in NEW:
        rows = _xlsx(client.get(f"/admin/evaluation/dashboard/{key}.xlsx?year={year}"))
        assert (sorted(rows) if key == "projects" else rows) == expected[key]


YEAR = 2019


def _meeting(index, day, rows):
    page = MeetingPage(title=f"委员会议 {day}", slug=f"m-{day}", kind="committee", date=day)
    page.attendances = [Attendance(person_name=name, source_unit=unit, present=present)
                        for name, unit, present in rows]  # fmt: skip
    index.add_child(instance=page)


def test_unit_score_uses_the_real_cobuilding_and_meeting_sources(city):
    A, UA, school = city["A"], city["UA"], city["school"]
    for unit, scores in ((UA, (80, 90)), (school, (70,))):
        agreement = Agreement.objects.create(community=A, unit=unit, year=YEAR)
        for score in scores:
            Commitment.objects.create(agreement=agreement, unit=unit, year=YEAR, score=score,
                                      party=CommitmentParty.UNIT, content="承诺")  # fmt: skip
        Commitment.objects.create(agreement=agreement, unit=unit, year=YEAR, content="未评",
                                  party=CommitmentParty.UNIT)  # fmt: skip
        Commitment.objects.create(agreement=agreement, unit=unit, year=YEAR, content="社区方",
                                  party=CommitmentParty.COMMUNITY, score=10)  # fmt: skip
    need = _need(A, "需求", NeedStatus.DONE, YEAR)
    done = Project.objects.create(community=A, year=YEAR, title="完成", status=ProjectStatus.DONE)
    active = Project.objects.create(community=A, year=YEAR, title="进行", status="active")
    for unit, project, status in ((UA, done, "accepted"), (UA, done, "accepted"),
                                  (UA, active, "accepted"), (UA, None, "pending"),
                                  (school, done, "accepted")):  # fmt: skip
        Claim.objects.create(kind=ClaimKind.NEED, community=A, year=YEAR, unit=unit, need=need,
                             status=status, project=project)  # fmt: skip
    index = MeetingIndexPage.objects.child_of(A).get()
    _meeting(index, date(YEAR, 3, 1), [("甲", UA, True), ("乙", school, False)])
    _meeting(index, date(YEAR, 6, 1), [("甲", UA, False), ("丁", UA, True), ("乙", school, True)])
    _meeting(index, date(YEAR, 9, 1), [("甲", UA, False), ("乙", school, False)])

    weights = {"commitments": 50, "claims": 30, "attendance": 20}
    scores = {s.unit.slug: s for s in compute_scores(units_of(city["xinhua"]), YEAR, weights)}
    ua = {line.key: line for line in scores["jiangan-no1-hospital"].lines}
    # 评诺 mean (80+90)/2; 2 claims in completed projects (the best); 2 of 3 meetings.
    assert [ua[k].value for k in weights] == [85, 2, pytest.approx(2 / 3)]
    assert [ua[k].points for k in weights] == [85, 100, Decimal("66.67")]
    assert [ua[k].weighted for k in weights] == [Decimal("42.50"), 30, Decimal("13.33")]
    assert scores["jiangan-no1-hospital"].total == Decimal("85.83")
    school_lines = {line.key: line for line in scores["jiangan-no12-middle-school"].lines}
    assert [school_lines[k].value for k in weights] == [70, 1, pytest.approx(1 / 3)]
    assert [school_lines[k].weighted for k in weights] == [35, 15, Decimal("6.67")]
    assert scores["jiangan-no12-middle-school"].total == Decimal("56.67")
    assert scores["jiangbei-experimental-primary"].total == 0
