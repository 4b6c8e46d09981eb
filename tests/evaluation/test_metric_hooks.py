"""Meetings and cobuilding put their figures on the dashboard through evaluation's hooks.

Evaluation itself knows only activities, appointments and ratings; attendance, claims
and commitments exist because their plugins register them, so leaving one of those
plugins out removes its figures without touching evaluation.
"""

from wagtail import hooks

from plugins.evaluation.metrics import all_metrics, builtin_metrics
from plugins.evaluation.sources import builtin_sources, registry


def test_evaluation_builds_in_only_its_own_figures():
    assert {m.key for m in builtin_metrics()} == {"activities", "ratings"}
    assert {s.key for s in builtin_sources()} == {"activities", "appointments", "member_ratings"}


def test_meetings_and_cobuilding_register_through_the_hooks():
    metrics = {m.key: m for m in all_metrics()}
    assert metrics["attendance"].function.__module__ == "plugins.meetings.metrics"
    assert metrics["claims"].function.__module__ == "plugins.cobuilding.metrics"
    sources = {s.key: s for s in registry.all()}
    assert sources["attendance"].function.__module__ == "plugins.meetings.stats"
    assert {sources["commitments"].function.__module__, sources["claims"].function.__module__} == {
        "plugins.cobuilding.stats"
    }
    owners = {fn.__module__ for fn in hooks.get_hooks("register_evaluation_sources")}
    assert {"plugins.meetings.wagtail_hooks", "plugins.cobuilding.wagtail_hooks"} <= owners
