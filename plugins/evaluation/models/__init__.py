"""Models of the evaluation plugin, one module per part of the year-end cycle."""

from .awards import Award, AwardKind
from .monthly import MonthlyAnswer, MonthlyItem, MonthlyReport, due_date
from .reports import AnnualReport, RaterKind, RatingRater, RatingRound, RatingVote, ReportAttachment
from .scores import PublishedScore, ScoreWeight, ScoreWeights

__all__ = [
    "AnnualReport",
    "Award",
    "AwardKind",
    "MonthlyAnswer",
    "MonthlyItem",
    "MonthlyReport",
    "PublishedScore",
    "RaterKind",
    "RatingRater",
    "RatingRound",
    "RatingVote",
    "ReportAttachment",
    "ScoreWeight",
    "ScoreWeights",
    "due_date",
]
