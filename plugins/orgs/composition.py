"""Committee composition rules ("1+1+N+X") from the policy documents, as data.

The documents say 原则上 ("as a rule"), so by default a breach is a warning that
names the rule and the numbers and the page still saves; with the setting
``ORGS_STRICT_COMPOSITION = True`` the same findings become form errors.

Each organisation page type lists its rules in ``composition_rules``; the
functions here only count and compare, so the page form (strict mode), the
after-save warning and the editor's panel all share one implementation.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _


class Role:
    """Committee roles. Liaisons (联络员) sit with a co-building unit, not on the committee."""

    FIRST_SECRETARY = "first_secretary"
    SECRETARY = "secretary"
    DEPUTY_FULL_TIME = "deputy_full_time"
    DEPUTY_PART_TIME = "deputy_part_time"
    MEMBER = "member"
    PART_TIME_MEMBER = "part_time_member"
    LIAISON = "liaison"

    CHOICES = [
        (FIRST_SECRETARY, "第一书记"),
        (SECRETARY, "书记"),
        (DEPUTY_FULL_TIME, "副书记（专职）"),
        (DEPUTY_PART_TIME, "副书记（兼职）"),
        (MEMBER, "委员"),
        (PART_TIME_MEMBER, "兼职委员"),
        (LIAISON, "联络员"),
    ]
    ORDER = {key: index for index, (key, _label) in enumerate(CHOICES)}
    LABELS = dict(CHOICES)
    # Roles held by people who come from a resident unit and are dual-managed.
    FROM_UNIT = {PART_TIME_MEMBER, LIAISON}
    # Part-time members in the sense of the 3-5 / 2-3 rules: 兼职委员 and 兼职副书记.
    PART_TIME = {PART_TIME_MEMBER, DEPUTY_PART_TIME}
    NOT_ON_COMMITTEE = {LIAISON}


@dataclass(frozen=True)
class Composition:
    """Head counts of a committee's current members."""

    total: int
    part_time: int
    by_role: Counter


def is_current(term_start, term_end, today):
    """A member counts while their term has started (or has no start) and not ended."""
    return (term_start is None or term_start <= today) and (term_end is None or term_end >= today)


def composition_of(members, today: date | None = None) -> Composition:
    """Count ``members``: objects or dicts with ``role``, ``term_start`` and ``term_end``."""
    today = today or timezone.localdate()
    by_role = Counter()
    for member in members:
        if isinstance(member, dict):
            role, start, end = (member.get(k) for k in ("role", "term_start", "term_end"))
        else:
            role, start, end = member.role, member.term_start, member.term_end
        if role and is_current(start, end, today):
            by_role[role] += 1
    total = sum(n for role, n in by_role.items() if role not in Role.NOT_ON_COMMITTEE)
    part_time = sum(by_role[role] for role in Role.PART_TIME)
    return Composition(total=total, part_time=part_time, by_role=by_role)


@dataclass(frozen=True)
class OddTotal:
    """委员总数为单数: so a committee vote cannot tie."""

    def check(self, body, c):
        if c.total and c.total % 2 == 0:
            return _("【单数原则】%(body)s委员总数原则上应为单数，当前为 %(n)d 人。") % {
                "body": body,
                "n": c.total,
            }
        return None


@dataclass(frozen=True)
class MaxTotal:
    limit: int

    def check(self, body, c):
        if c.total > self.limit:
            return _("【人数上限】%(body)s委员原则上不超过 %(limit)d 人，当前为 %(n)d 人。") % {
                "body": body,
                "limit": self.limit,
                "n": c.total,
            }
        return None


@dataclass(frozen=True)
class PartTimeRange:
    low: int
    high: int

    def check(self, body, c):
        if not self.low <= c.part_time <= self.high:
            return _(
                "【兼职委员人数】%(body)s兼职委员原则上为 %(low)d–%(high)d 名，当前为 %(n)d 名。"
            ) % {"body": body, "low": self.low, "high": self.high, "n": c.part_time}
        return None


@dataclass(frozen=True)
class MaxRole:
    """ "1+1+N+X": one first secretary and one secretary at most."""

    role: str
    limit: int

    def check(self, body, c):
        n = c.by_role[self.role]
        if n > self.limit:
            return _("【职务设置】%(body)s%(role)s原则上设 %(limit)d 名，当前为 %(n)d 名。") % {
                "body": body,
                "role": Role.LABELS[self.role],
                "limit": self.limit,
                "n": n,
            }
        return None


LEADERSHIP_RULES = (MaxRole(Role.FIRST_SECRETARY, 1), MaxRole(Role.SECRETARY, 1))


def check_composition(page_class, members, today=None):
    """Return the messages of every rule of ``page_class`` that ``members`` break."""
    composition = composition_of(members, today)
    body = page_class.committee_name
    findings = (rule.check(body, composition) for rule in page_class.composition_rules)
    return [message for message in findings if message]
