"""The meeting rules of DOMAIN.md as pure functions (no database, ``today`` passed in).

* 委员会议 (committee meeting): at least once a calendar month.
* 党建联席会议 (joint meeting): at least once a calendar quarter, or ad hoc; its topics are
  notified to the member units one week ahead.

The documents say 原则上 ("as a rule"), so breaches are warnings and marks, never
refusals: a meeting whose notice went out late still saves.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

COMMITTEE = "committee"
JOINT = "joint"
#: The joint meeting's topics reach the member units at least this many days ahead.
NOTICE_DAYS = 7
#: A mark turns amber from this many days before the end of its period.
DUE_SOON_DAYS = 7

RED = "red"
AMBER = "amber"
OK = "ok"


# --- Calendar periods ---------------------------------------------------------------


def month_bounds(day):
    """First and last day of ``day``'s calendar month."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def quarter_bounds(day):
    """First and last day of ``day``'s calendar quarter."""
    first_month = (day.month - 1) // 3 * 3 + 1
    first = date(day.year, first_month, 1)
    _start, last = month_bounds(date(day.year, first_month + 2, 1))
    return first, last


def quarter_number(day):
    return (day.month - 1) // 3 + 1


def _previous(bounds_of, day):
    start, _end = bounds_of(day)
    return bounds_of(start - timedelta(days=1))


# --- Notice ----------------------------------------------------------------------------


def notice_warnings(kind, meeting_date, notice_sent_on, recipient_count=None, ad_hoc=False):
    """Warnings about a meeting's notice (通知); empty when the notice follows the rule.

    Only joint meetings carry the one-week rule. ``recipient_count`` None means
    "unknown" (not checked)."""
    if kind != JOINT or meeting_date is None:
        return []
    findings = []
    if notice_sent_on is None:
        findings.append(
            _("党建联席会议的议题应至少提前 %(days)d 天通知成员单位，请填写通知发出日期。")
            % {"days": NOTICE_DAYS}
        )
    else:
        ahead = (meeting_date - notice_sent_on).days
        if ahead < NOTICE_DAYS:
            message = _(
                "通知于 %(sent)s 发出，距会议（%(date)s）仅 %(ahead)d 天；"
                "党建联席会议的议题原则上应提前一周（%(days)d 天）通知成员单位。"
            ) % {
                "sent": _format(notice_sent_on),
                "date": _format(meeting_date),
                "ahead": max(ahead, 0),
                "days": NOTICE_DAYS,
            }
            if ad_hoc:
                message += _("临时会议确因急事不能提前通知的，请在会议纪要中说明原因。")
            findings.append(message)
    if recipient_count == 0:
        findings.append(_("尚未选择接收通知的成员单位。"))
    return findings


# --- Overdue marks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """How one cadence of one committee stands on a day: red, amber or ok, and why."""

    kind: str
    level: str
    message: str

    @property
    def label(self):
        return {RED: _("逾期"), AMBER: _("即将到期"), OK: _("正常")}[self.level]


def overdue_marks(meetings, today):
    """The committee-meeting and joint-meeting marks of one committee on ``today``.

    ``meetings`` is an iterable of ``(date, kind)`` of the committee's meetings, held or
    scheduled. For each cadence (month for committee meetings, quarter for joint ones):

    * red: the previous period passed without a meeting of that kind and none has been
      held yet in the current period;
    * amber: nothing is held or scheduled in the current period and it ends within
      ``DUE_SOON_DAYS`` days (today included);
    * ok otherwise.
    """
    meetings = list(meetings)
    return [
        _mark(COMMITTEE, [d for d, k in meetings if k == COMMITTEE], today, month_bounds),
        _mark(JOINT, [d for d, k in meetings if k == JOINT], today, quarter_bounds),
    ]


def _mark(kind, dates, today, bounds_of):
    start, end = bounds_of(today)
    previous_start, previous_end = _previous(bounds_of, today)
    held_before = any(previous_start <= d <= previous_end for d in dates)
    current = sorted(d for d in dates if start <= d <= end)
    held_now = [d for d in current if d <= today]
    monthly = bounds_of is month_bounds
    names = {
        COMMITTEE: _("委员会议"),
        JOINT: _("党建联席会议"),
    }
    if not held_before and not held_now:
        if monthly:
            period = _("上月（%(year)d年%(month)d月）") % {
                "year": previous_start.year,
                "month": previous_start.month,
            }
        else:
            period = _("上季度（%(year)d年第%(quarter)d季度）") % {
                "year": previous_start.year,
                "quarter": quarter_number(previous_start),
            }
        return Mark(
            kind, RED, _("%(period)s未召开%(name)s") % {"period": period, "name": names[kind]}
        )
    this_period = _("本月") if monthly else _("本季度")
    if held_now:
        message = _("%(period)s%(name)s已召开（%(date)s）") % {
            "period": this_period, "name": names[kind], "date": _format(held_now[-1]),
        }  # fmt: skip
        return Mark(kind, OK, message)
    if current:
        message = _("%(period)s%(name)s已安排在 %(date)s") % {
            "period": this_period, "name": names[kind], "date": _format(current[0]),
        }  # fmt: skip
        return Mark(kind, OK, message)
    if (end - today).days < DUE_SOON_DAYS:
        message = _("%(period)s%(name)s尚未召开，应于 %(date)s 前召开") % {
            "period": this_period, "name": names[kind], "date": _format(end),
        }  # fmt: skip
        return Mark(kind, AMBER, message)
    message = _("%(period)s%(name)s尚未安排，应于 %(date)s 前召开") % {
        "period": this_period, "name": names[kind], "date": _format(end),
    }  # fmt: skip
    return Mark(kind, OK, message)


def worst(marks):
    """The most urgent level among ``marks`` (red > amber > ok)."""
    levels = {mark.level for mark in marks}
    return RED if RED in levels else AMBER if AMBER in levels else OK


def _format(day):
    return f"{day.year}年{day.month}月{day.day}日"
