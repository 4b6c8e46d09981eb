"""Figures other plugins read (contract 4; the evaluation plugin uses them).

Each figure has a batch form taking many units (pages or pks) and answering
{unit pk: value} in one query, for dashboards and rankings that list every unit; the
single-unit functions delegate to it so both always agree.
"""

from django.db.models import Avg, Count

from .models import Claim, ClaimStatus, Commitment, CommitmentParty, ProjectStatus


def _pks(units):
    return [getattr(unit, "pk", unit) for unit in units]


def commitments_score(unit_page, year):
    """Mean 评诺 score (0..100) of the unit's own commitments in ``year``; None if none scored."""
    return commitments_scores([unit_page], year)[unit_page.pk]


def commitments_scores(units, year):
    """{unit pk: commitments_score} for ``units``, in one query."""
    pks = _pks(units)
    scores = dict.fromkeys(pks)
    if pks:
        rows = (
            Commitment.objects.filter(
                unit__in=pks, year=year, party=CommitmentParty.UNIT, score__isnull=False
            )
            .values("unit_id")
            .annotate(mean=Avg("score"))
            .values_list("unit_id", "mean")
        )
        scores.update((unit_id, float(mean)) for unit_id, mean in rows)
    return scores


def claims_completed(unit_page, year):
    """How many of the unit's accepted claims of ``year`` (either direction) ended in a
    completed project."""
    return claims_completed_by_unit([unit_page], year)[unit_page.pk]


def claims_completed_by_unit(units, year):
    """{unit pk: claims_completed} for ``units``, in one query."""
    pks = _pks(units)
    counts = dict.fromkeys(pks, 0)
    if pks:
        rows = (
            Claim.objects.filter(
                unit__in=pks,
                year=year,
                status=ClaimStatus.ACCEPTED,
                project__status=ProjectStatus.DONE,
            )
            .values("unit_id")
            .annotate(n=Count("pk"))
            .values_list("unit_id", "n")
        )
        counts.update(rows)
    return counts
