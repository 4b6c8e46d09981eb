"""Units' yearly co-building score: weighted points of the score sources (sources.py).

For one street and year: every live resident unit under the street gets, per weighted
source, its raw value, its points 0..100 (by the source's scale; no data = 0 points,
shown as 无数据) and the weighted points = points x weight / 100; the total is the sum,
rounded to two decimals. Ranking: by total, highest first; equal totals share a rank
(1, 1, 3).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from plugins.orgs.models import ResidentUnitPage

from .sources import COUNT, PERCENT, RATIO, registry

TWO_PLACES = Decimal("0.01")


def _round(value):
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _plain(value):
    return value if value is None or isinstance(value, (int, float)) else float(value)


@dataclass
class Line:
    key: str
    label: str
    weight: int
    value: object  # raw value, None = no data
    points: Decimal = Decimal(0)
    weighted: Decimal = Decimal(0)

    def as_dict(self):
        return {
            "key": self.key,
            "label": str(self.label),
            "weight": self.weight,
            "value": _plain(self.value),
            "points": str(self.points),
            "weighted": str(self.weighted),
        }


@dataclass
class UnitScore:
    unit: object
    lines: list = field(default_factory=list)
    total: Decimal = Decimal(0)
    rank: int = 0


def units_of(street):
    return list(ResidentUnitPage.objects.live().descendant_of(street).order_by("path"))


def points_for(source, value, best):
    if value is None:
        return Decimal(0)
    if source.scale == PERCENT:
        raw = min(max(float(value), 0.0), 100.0)
    elif source.scale == RATIO:
        raw = min(max(float(value), 0.0), 1.0) * 100
    elif source.scale == COUNT:
        raw = 100.0 * float(value) / best if best else 0.0
    else:
        raise ValueError(f"unknown scale {source.scale!r}")
    return _round(raw)


def compute_scores(units, year, weights):
    """Ranked ``UnitScore`` list for ``units`` with ``weights`` ({source key: weight}).

    A weight naming a source that is not installed counts as no data (0 points)."""
    sources = [(registry.get(key), key, weight) for key, weight in weights.items()]
    scores = [UnitScore(unit) for unit in units]
    for source, key, weight in sources:
        values = source.values(units, year) if source else [None] * len(units)
        known = [v for v in values if v is not None]
        best = max(known) if known else 0
        for score, value in zip(scores, values, strict=True):
            points = points_for(source, value, best) if source else Decimal(0)
            weighted = _round(points * weight / 100)
            label = source.label if source else key
            score.lines.append(Line(key, label, weight, value, points, weighted))
    for score in scores:
        score.total = _round(sum((line.weighted for line in score.lines), Decimal(0)))
    scores.sort(key=lambda s: (-s.total, s.unit.path))
    previous, rank = None, 0
    for position, score in enumerate(scores, start=1):
        if score.total != previous:
            rank, previous = position, score.total
        score.rank = rank
    return scores


def street_scores(weights_record):
    """Scores of every unit of a ``ScoreWeights`` record's street and year."""
    return compute_scores(
        units_of(weights_record.street), weights_record.year, weights_record.as_dict()
    )


def publish_ranking(weights_record, by=None):
    """Freeze the current scores as the street's public ranking for the year."""
    from django.db import transaction
    from django.utils import timezone

    from .models import PublishedScore

    scores = street_scores(weights_record)
    with transaction.atomic():
        weights_record.published.all().delete()
        PublishedScore.objects.bulk_create(
            PublishedScore(
                weights=weights_record,
                unit=score.unit,
                rank=score.rank,
                total=score.total,
                breakdown=[line.as_dict() for line in score.lines],
            )
            for score in scores
        )
        weights_record.ranking_published = True
        weights_record.published_at = timezone.now()
        weights_record.save(update_fields=["ranking_published", "published_at"])
    return scores
