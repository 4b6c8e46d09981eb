"""The grade of a rating round (测评), from the counts of its votes.

The rule (one place, documented in the README):

1. The round is valid only when more than half of the invited raters voted (过半数);
   otherwise there is no grade (测评无效).
2. 不称职 when 不称职 votes are more than one third of the votes cast.
3. Otherwise 优秀 when 优秀 votes are at least two thirds of the votes cast.
4. Otherwise 称职 when 优秀 + 称职 votes are more than half of the votes cast.
5. Otherwise 基本称职.

Integer arithmetic only, so 2 of 3 votes is exactly two thirds.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


#: Points of a grade in the unit score's "member ratings" source.
GRADE_POINTS = {
    Grade.EXCELLENT: 100,
    Grade.COMPETENT: 80,
    Grade.BASIC: 60,
    Grade.INCOMPETENT: 0,
}


def grade_for(counts, invited):
    """The grade for ``counts`` ({Grade: votes}) with ``invited`` raters, or None (invalid)."""
    excellent = counts.get(Grade.EXCELLENT, 0)
    competent = counts.get(Grade.COMPETENT, 0)
    incompetent = counts.get(Grade.INCOMPETENT, 0)
    cast = sum(counts.values())
    if cast == 0 or 2 * cast <= invited:
        return None
    if 3 * incompetent > cast:
        return Grade.INCOMPETENT
    if 3 * excellent >= 2 * cast:
        return Grade.EXCELLENT
    if 2 * (excellent + competent) > cast:
        return Grade.COMPETENT
    return Grade.BASIC
