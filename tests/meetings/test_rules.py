"""The meeting rules on a fixed calendar (no database)."""

from datetime import date

import pytest

from plugins.meetings import rules
from plugins.meetings.rules import AMBER, COMMITTEE, JOINT, OK, RED


def marks(meetings, today):
    committee, joint = rules.overdue_marks(meetings, today)
    assert (committee.kind, joint.kind) == (COMMITTEE, JOINT)
    return committee, joint


class TestPeriods:
    def test_month_bounds_across_years_and_leap_february(self):
        assert rules.month_bounds(date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
        assert rules.month_bounds(date(2025, 12, 31)) == (date(2025, 12, 1), date(2025, 12, 31))

    @pytest.mark.parametrize(
        ("day", "bounds"),
        [
            (date(2026, 1, 1), (date(2026, 1, 1), date(2026, 3, 31))),
            (date(2026, 5, 20), (date(2026, 4, 1), date(2026, 6, 30))),
            (date(2026, 9, 30), (date(2026, 7, 1), date(2026, 9, 30))),
            (date(2026, 11, 22), (date(2026, 10, 1), date(2026, 12, 31))),
        ],
    )
    def test_quarter_bounds(self, day, bounds):
        assert rules.quarter_bounds(day) == bounds


class TestCommitteeMarks:
    """Monthly committee meetings, seen on days of November 2026 (30 days)."""

    def test_red_when_last_month_had_no_meeting_and_none_held_this_month(self):
        committee, _joint = marks([(date(2026, 9, 8), COMMITTEE)], date(2026, 11, 10))
        assert committee.level == RED
        assert committee.message == "上月（2026年10月）未召开委员会议"
        assert committee.label == "逾期"

    def test_no_meetings_at_all_is_red(self):
        committee, joint = marks([], date(2026, 11, 10))
        assert committee.level == RED and joint.level == RED
        assert joint.message == "上季度（2026年第3季度）未召开党建联席会议"

    def test_meeting_held_this_month_clears_red(self):
        committee, _ = marks([(date(2026, 11, 3), COMMITTEE)], date(2026, 11, 10))
        assert committee.level == OK
        assert "已召开（2026年11月3日）" in committee.message

    def test_meeting_only_scheduled_this_month_stays_red_until_held(self):
        committee, _ = marks([(date(2026, 11, 20), COMMITTEE)], date(2026, 11, 10))
        assert committee.level == RED
        committee, _ = marks([(date(2026, 11, 20), COMMITTEE)], date(2026, 11, 20))
        assert committee.level == OK

    def test_amber_within_seven_days_of_month_end(self):
        last_month = [(date(2026, 10, 6), COMMITTEE)]
        assert marks(last_month, date(2026, 11, 23))[0].level == OK  # 7 days left
        committee, _ = marks(last_month, date(2026, 11, 24))  # 6 days left, today included
        assert committee.level == AMBER
        assert committee.message == "本月委员会议尚未召开，应于 2026年11月30日 前召开"
        assert marks(last_month, date(2026, 11, 30))[0].level == AMBER

    def test_scheduled_meeting_this_month_is_not_amber(self):
        meetings = [(date(2026, 10, 6), COMMITTEE), (date(2026, 11, 28), COMMITTEE)]
        committee, _ = marks(meetings, date(2026, 11, 25))
        assert committee.level == OK
        assert "已安排在 2026年11月28日" in committee.message

    def test_january_looks_back_at_december_of_the_year_before(self):
        committee, _ = marks([(date(2025, 12, 30), COMMITTEE)], date(2026, 1, 5))
        assert committee.level == OK
        committee, _ = marks([(date(2025, 11, 30), COMMITTEE)], date(2026, 1, 5))
        assert committee.message == "上月（2025年12月）未召开委员会议"

    def test_joint_meetings_do_not_count_as_committee_meetings(self):
        committee, joint = marks([(date(2026, 10, 6), JOINT)], date(2026, 11, 10))
        assert committee.level == RED
        assert joint.level == OK  # held this quarter


class TestJointMarks:
    """Quarterly joint meetings; Q4 2026 ends on 31 December."""

    def test_red_when_last_quarter_had_none(self):
        _, joint = marks([(date(2026, 3, 30), JOINT)], date(2026, 11, 10))
        assert joint.level == RED
        assert joint.message == "上季度（2026年第3季度）未召开党建联席会议"

    def test_first_quarter_looks_back_at_the_fourth_of_last_year(self):
        _, joint = marks([(date(2025, 12, 1), JOINT)], date(2026, 2, 1))
        assert joint.level == OK
        _, joint = marks([(date(2025, 9, 1), JOINT)], date(2026, 2, 1))
        assert joint.message == "上季度（2025年第4季度）未召开党建联席会议"

    def test_amber_in_the_last_week_of_the_quarter(self):
        last_quarter = [(date(2026, 8, 20), JOINT)]
        assert marks(last_quarter, date(2026, 12, 24))[1].level == OK
        _, joint = marks(last_quarter, date(2026, 12, 25))
        assert joint.level == AMBER
        assert joint.message == "本季度党建联席会议尚未召开，应于 2026年12月31日 前召开"
        assert joint.label == "即将到期"

    def test_worst(self):
        assert rules.worst(marks([(date(2026, 8, 20), JOINT)], date(2026, 12, 25))) == RED
        both = [(date(2026, 11, 2), COMMITTEE), (date(2026, 8, 20), JOINT)]
        assert rules.worst(marks(both, date(2026, 12, 25))) == AMBER
        both.append((date(2026, 12, 2), COMMITTEE))
        both.append((date(2026, 10, 2), JOINT))
        assert rules.worst(marks(both, date(2026, 12, 25))) == OK


class TestNotice:
    def test_joint_meeting_notified_a_week_ahead_is_fine(self):
        assert rules.notice_warnings(JOINT, date(2026, 11, 20), date(2026, 11, 13), 3) == []

    def test_six_days_ahead_warns_in_chinese(self):
        [warning] = rules.notice_warnings(JOINT, date(2026, 11, 20), date(2026, 11, 14), 3)
        assert "通知于 2026年11月14日 发出" in warning
        assert "仅 6 天" in warning
        assert "提前一周" in warning

    def test_ad_hoc_warning_asks_for_the_reason(self):
        [warning] = rules.notice_warnings(JOINT, date(2026, 11, 20), date(2026, 11, 19), 3, True)
        assert "临时会议" in warning

    def test_missing_notice_date_and_recipients(self):
        findings = rules.notice_warnings(JOINT, date(2026, 11, 20), None, 0)
        assert len(findings) == 2
        assert "请填写通知发出日期" in findings[0]
        assert findings[1] == "尚未选择接收通知的成员单位。"

    def test_committee_meetings_have_no_notice_rule(self):
        assert rules.notice_warnings(COMMITTEE, date(2026, 11, 20), None, 0) == []


def test_setup_attaches_the_minutes_workflow_only_when_workflows_is_installed(monkeypatch):
    """Contract 2, without the workflows plugin present: the call and its arguments."""
    import sys
    import types

    from django.apps import apps

    from plugins.meetings.setup import attach_minutes_workflow

    calls = []
    fake = types.ModuleType("plugins.workflows.api")
    fake.attach_workflow = lambda key, pages: calls.append((key, list(pages))) or "workflow"
    monkeypatch.setitem(sys.modules, "plugins.workflows", types.ModuleType("plugins.workflows"))
    monkeypatch.setitem(sys.modules, "plugins.workflows.api", fake)
    installed = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: False)
    assert attach_minutes_workflow(["index"]) is None and calls == []
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name == "plugins.workflows" or installed(name)
    )
    assert attach_minutes_workflow(["index"]) == "workflow"
    assert calls == [("minutes_publish", ["index"])]
    assert attach_minutes_workflow([]) is None
