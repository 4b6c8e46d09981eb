from gongjian_site import clock
from plugins.evaluation.grading import Grade
from plugins.evaluation.models import Award, MonthlyReport, RatingRound, ScoreWeights


def test_demo_loads_and_is_idempotent(demo, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    year = clock.today().year - 1
    counts = (RatingRound.objects.count(), MonthlyReport.objects.count(), Award.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (
        RatingRound.objects.count(),
        MonthlyReport.objects.count(),
        Award.objects.count(),
    ) == counts
    closed = RatingRound.objects.get(report__user__username="member_a")
    assert closed.grade == Grade.EXCELLENT and closed.votes_cast == 4 and closed.invited == 5
    assert ScoreWeights.objects.get(street__slug="xinhua", year=year).ranking_published
    assert "考核评价" in demo
