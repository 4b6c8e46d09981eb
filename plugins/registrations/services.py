"""Saving a public submission: deduplication by credit code and matching unit pages."""

from django.db import IntegrityError, transaction

from plugins.orgs.models import ResidentUnitPage

from .models import Status, UnitCheckIn, UnitSurvey

UNIT_MODELS = (UnitSurvey, UnitCheckIn)


def match_unit(community, unit_name, credit_code):
    """The resident unit page a unit registration belongs to, or None.

    An earlier registration with the same credit code that a moderator (or an earlier
    match) tied to a unit wins, so a survey and a check-in of one unit meet on one page.
    Otherwise a unit page of exactly that name under the community, or hanging directly
    under its street (units may hang under either, see orgs.ResidentUnitPage)."""
    for model in UNIT_MODELS:
        linked = (
            model.objects.filter(credit_code=credit_code, unit__isnull=False)
            .order_by("-updated_at")
            .values_list("unit_id", flat=True)
            .first()
        )
        if linked:
            return ResidentUnitPage.objects.filter(pk=linked).first()
    if community is None:
        return None
    candidates = ResidentUnitPage.objects.filter(title=unit_name.strip())
    match = candidates.descendant_of(community).order_by("path").first()
    if match is None:
        parent = community.get_parent()
        match = candidates.child_of(parent).order_by("path").first()
    return match


def save_unit_registration(model, community, data):
    """Create the unit's record in this community, or update the one already there.

    Returns ``(record, created)``. A unit whose credit code this community already
    holds keeps one record: its fields are replaced by the new submission, the
    submission count goes up and it goes back to moderation (待审核), because a
    moderator approved the old content, not this one."""
    code = data["credit_code"]
    with transaction.atomic():
        record = (
            model.objects.select_for_update().filter(community=community, credit_code=code).first()
        )
        created = record is None
        if created:
            record = model(community=community)
        for name, value in data.items():
            setattr(record, name, value)
        if record.unit_id is None:
            record.unit = match_unit(community, record.unit_name, code)
        record.status = Status.PENDING
        if not created:
            record.submission_count += 1
        try:
            # A savepoint, so a concurrent first submission of the same unit can be
            # turned into an update instead of an error.
            with transaction.atomic():
                record.save()
        except IntegrityError:
            if not created:
                raise
            return save_unit_registration(model, community, data)
    return record, created
