"""Unit scores on fixed data, checked by hand; the weights form; publishing the ranking."""

import io
from datetime import date
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from plugins.access.models import Appointment, AppointmentStatus
from plugins.activities.models import ActivityKind, ActivityPage
from plugins.evaluation.admin import ScoreWeightsAdmin
from plugins.evaluation.models import AnnualReport, RatingRound, ScoreWeight, ScoreWeights
from plugins.evaluation.scoring import compute_scores, units_of
from plugins.evaluation.sources import PERCENT, Source, registry
from tests.conftest import login

YEAR = 2019
FAKE = {"jiangan-no1-hospital": 90, "jiangan-no12-middle-school": 45.5, "huaxin-tech": 0}


def fake_commitments(unit, year):
    """Stands in for plugins.cobuilding.stats.commitments_score (not in this branch)."""
    return FAKE.get(unit.slug) if year == YEAR else None


FAKE_SOURCE = Source("fake_commitments", "履诺评诺（测试）", fake_commitments, PERCENT, 5)


def _activity(parent, title, day, units, live=True):
    page = ActivityPage(title=title, date=day, kind=ActivityKind.objects.first(), live=live)
    parent.add_child(instance=page)
    page.participating_units.set(units)
    page.save()
    return page


def _appointment(user, committee, unit, start, end, **extra):
    return Appointment.objects.create(
        user=user, committee=committee, source_unit=unit, start_date=start, end_date=end, **extra
    )


def _rated(user, committee, grade):
    report = AnnualReport.objects.create(user=user, committee=committee, year=YEAR, body="<p>x</p>")
    RatingRound.objects.create(
        report=report, closes_at=timezone.now(), closed_at=timezone.now(), grade=grade
    )


def fixed_data(pages, users):
    A, UA, school, huaxin = pages["A"], pages["UA"], pages["school"], pages["huaxin"]
    _activity(A, "a1", date(YEAR, 3, 1), [UA, school])
    _activity(A, "a2", date(YEAR, 5, 1), [UA])
    _activity(UA, "a3 held by the unit itself", date(YEAR, 6, 1), [])
    _activity(A, "a4 other year", date(YEAR - 1, 12, 31), [UA])
    _activity(A, "a5 draft", date(YEAR, 7, 1), [huaxin], live=False)
    _appointment(users["member_a"], A, UA, date(YEAR, 1, 1), date(YEAR, 12, 31))
    _appointment(users["member_c"], A, school, date(YEAR - 1, 6, 1), date(YEAR, 2, 1))
    _appointment(
        users["member_d"], pages["xinhua"], school, date(YEAR, 3, 1), date(YEAR + 2, 2, 28)
    )
    _appointment(
        users["member_b"],
        pages["B"],
        pages["UB"],
        date(YEAR - 1, 1, 1),
        date(YEAR + 1, 12, 31),
        status=AppointmentStatus.REMOVED,
        removal_decided_on=date(YEAR - 1, 12, 1),
    )
    _rated(users["member_a"], A, "competent")  # 80
    _rated(users["member_c"], A, "excellent")  # 100
    _rated(users["member_d"], pages["xinhua"], "basic")  # 60 -> school's mean 80


WEIGHTS = {"activities": 40, "appointments": 20, "member_ratings": 10, "fake_commitments": 30}


def test_scores_on_fixed_data_match_the_hand_computation(pages, users):
    fixed_data(pages, users)
    with registry.temporarily(FAKE_SOURCE):
        scores = compute_scores(units_of(pages["xinhua"]), YEAR, WEIGHTS)
    by_slug = {score.unit.slug: score for score in scores}
    ua = {line.key: line for line in by_slug["jiangan-no1-hospital"].lines}
    assert [ua[k].value for k in WEIGHTS] == [3, 1, 80, 90]
    assert [ua[k].points for k in WEIGHTS] == [100, 50, 80, 90]
    assert [ua[k].weighted for k in WEIGHTS] == [40, 10, 8, 27]
    assert by_slug["jiangan-no1-hospital"].total == Decimal("85.00")
    school = {line.key: line for line in by_slug["jiangan-no12-middle-school"].lines}
    assert [school[k].value for k in WEIGHTS] == [1, 2, 80, 45.5]
    # 1/3 of the best unit: 33.33 points, x 40% = 13.33; 45.5 x 30% = 13.65
    assert [school[k].weighted for k in WEIGHTS] == [Decimal("13.33"), 20, 8, Decimal("13.65")]
    assert by_slug["jiangan-no12-middle-school"].total == Decimal("54.98")
    # UB's only appointment was removed before the year began; no rating: 0 points.
    ub = {line.key: line for line in by_slug["jiangbei-experimental-primary"].lines}
    assert ub["appointments"].value == 0 and ub["member_ratings"].value is None
    assert [(s.unit.slug, s.rank, s.total) for s in scores] == [
        ("jiangan-no1-hospital", 1, Decimal("85.00")),
        ("jiangan-no12-middle-school", 2, Decimal("54.98")),
        ("jiangbei-experimental-primary", 3, 0),
        ("huaxin-tech", 3, 0),
        ("jiangbei-market-regulation", 3, 0),
    ]
    # Without the fake source (cobuilding not installed) its weight scores nothing.
    assert registry.get("fake_commitments") is None
    plain = compute_scores(units_of(pages["xinhua"]), YEAR, WEIGHTS)
    assert plain[0].total == Decimal("58.00")


def test_batch_sources_agree_with_their_per_unit_functions(pages, users):
    """The score asks a source with ``batch`` once for the street; the figures are the
    ones its per-unit function gives (a source without ``batch`` still works)."""
    fixed_data(pages, users)
    units = units_of(pages["xinhua"])
    batched = [source for source in registry.all() if source.batch is not None]
    assert {"activities", "appointments", "member_ratings"} <= {source.key for source in batched}
    for source in batched:
        for year in (YEAR, YEAR - 1):
            assert source.values(units, year) == [source.function(u, year) for u in units]
    assert FAKE_SOURCE.values(units, YEAR)[0] == 90


def test_scores_cost_the_same_queries_for_more_units(pages, users):
    """Every built-in source answers for the whole street at once: five more units, each
    with a member in post, add no query; each new unit counts its one appointment."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plugins.archive.api import publish_fields
    from plugins.orgs.models import ResidentUnitPage

    fixed_data(pages, users)
    weights = {"activities": 40, "appointments": 30, "member_ratings": 30}

    def scored():
        with CaptureQueriesContext(connection) as queries:
            scores = compute_scores(units_of(pages["xinhua"]), YEAR, weights)
        return len(queries), {score.unit.slug: score for score in scores}

    before, _scores = scored()
    for n in range(5):
        unit = ResidentUnitPage(title=f"新驻区单位{n}", slug=f"new-unit-{n}",
                                kind="private_firm", **publish_fields())  # fmt: skip
        pages["A"].add_child(instance=unit)
        member = get_user_model().objects.create_user(f"new_member_{n}")
        _appointment(member, pages["A"], unit, date(YEAR, 1, 1), date(YEAR + 1, 12, 31))
    after, scores = scored()
    assert after == before, (before, after)
    for n in range(5):
        lines = {line.key: line.value for line in scores[f"new-unit-{n}"].lines}
        assert lines["appointments"] == 1


def _weights_post(street, year, rows):
    data = {
        "street": street.pk,
        "year": str(year),
        "weights-TOTAL_FORMS": str(len(rows)),
        "weights-INITIAL_FORMS": "0",
        "weights-MIN_NUM_FORMS": "0",
        "weights-MAX_NUM_FORMS": "1000",
    }
    for i, (key, weight) in enumerate(rows):
        data.update(
            {
                f"weights-{i}-source": key,
                f"weights-{i}-weight": str(weight),
                f"weights-{i}-ORDER": str(i + 1),
                f"weights-{i}-id": "",
                f"weights-{i}-DELETE": "",
            }
        )
    return data


def test_weights_in_the_admin_ranking_excel_and_publication(client, pages, users):
    fixed_data(pages, users)
    login(client, "admin")
    create = ScoreWeightsAdmin().url_helper.create_url
    street = pages["xinhua"]
    with registry.temporarily(FAKE_SOURCE):
        bad = client.post(
            create, _weights_post(street, YEAR, [("activities", 40), ("appointments", 50)])
        )
        assert bad.status_code == 200
        assert "各项权重之和必须等于 100，当前为 90" in bad.content.decode()
        twice = client.post(
            create, _weights_post(street, YEAR, [("activities", 50), ("activities", 50)])
        )
        assert "同一计分来源只能设置一次" in twice.content.decode()
        unknown = client.post(create, _weights_post(street, YEAR, [("nonsense", 100)]))
        assert unknown.status_code == 200
        assert not ScoreWeights.objects.filter(year=YEAR).exists()
        assert not ScoreWeight.objects.filter(weights__year=YEAR).exists()

        ok = client.post(create, _weights_post(street, YEAR, list(WEIGHTS.items())))
        assert ok.status_code == 302
        weights = ScoreWeights.objects.get(street=street, year=YEAR)
        assert weights.as_dict() == WEIGHTS

        page = client.get(f"/admin/evaluation/scoreweights/scores/{weights.pk}/")
        assert page.status_code == 200 and "85.00" in page.content.decode()
        sheet = load_workbook(
            io.BytesIO(client.get(f"/admin/evaluation/scoreweights/xlsx/{weights.pk}/").content)
        ).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[2][:2] == (1, "江安市第一人民医院") and rows[2][-1] == 85.0
        assert rows[3][-1] == 54.98

        assert client.get(f"/evaluation/ranking/{weights.pk}/").status_code == 404
        assert (
            client.post(f"/admin/evaluation/scoreweights/scores/{weights.pk}/").status_code == 302
        )
    client.logout()
    public = client.get(f"/evaluation/ranking/{weights.pk}/")
    assert public.status_code == 200
    html = public.content.decode()
    assert html.index("江安市第一人民医院") < html.index("江安市第十二中学") and "85.00" in html
    # A published ranking is a snapshot: later activities do not change it.
    _activity(pages["B"], "later", date(YEAR, 9, 1), [pages["huaxin"]])
    assert "85.00" in client.get(f"/evaluation/ranking/{weights.pk}/").content.decode()
    book = load_workbook(
        io.BytesIO(client.get(f"/evaluation/ranking/{weights.pk}/?format=xlsx").content)
    )
    assert list(book.active.iter_rows(values_only=True))[2] == (1, "江安市第一人民医院", 85.0)


def test_member_cannot_set_weights_for_a_street(client, pages):
    login(client, "member_a")
    response = client.post(
        ScoreWeightsAdmin().url_helper.create_url,
        _weights_post(pages["xinhua"], YEAR, [("activities", 100)]),
    )
    assert response.status_code in (200, 302, 403)
    assert not ScoreWeights.objects.filter(year=YEAR).exists()
