"""Saving a public submission: deduplication by credit code and matching unit pages."""

from django.db import IntegrityError, transaction
from wagtail.log_actions import log

from plugins.orgs.models import ResidentUnitPage

from .models import ChangeStatus, Status, UnitCheckIn, UnitSurvey

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
    """Create the unit's record in this community, or file a change request for it.

    Returns ``(record_or_request, created)``. The first submission of a credit code
    in a community creates the record (待审核). Any later one, whoever sends it, is
    kept as a pending change request and leaves the record exactly as it was: a
    credit code is printed on every licence, so knowing it proves nothing, and an
    anonymous form must not rewrite what a moderator approved (nor what the unit
    itself sent in first). A moderator compares and decides (``accept_change``)."""
    code = data["credit_code"]
    with transaction.atomic():
        record = model.objects.filter(community=community, credit_code=code).first()
        if record is not None:
            change = record.change_requests.create(data=dict(data))
            log(instance=record, action="registrations.change_submitted", user=None,
                data={"change": change.pk})  # fmt: skip
            return change, False
        record = model(community=community, **data)
        record.unit = match_unit(community, record.unit_name, code)
        record.status = Status.PENDING
        try:
            # A savepoint, so a concurrent first submission of the same unit becomes a
            # change request of the record the other one created instead of an error.
            with transaction.atomic():
                record.save()
        except IntegrityError:
            return save_unit_registration(model, community, data)
        log(instance=record, action="wagtail.create", user=None)
    return record, True


def change_fields(model):
    """The fields a change request may change: the public form's, in its order."""
    from .tables import table_for_model

    return list(table_for_model(model).form_class._meta.fields)


def compare(change, current=None):
    """The request beside a version of its record: rows of (label, that version's value,
    the request's value, whether they differ). ``current`` is a stored version (a
    request's ``previous``); by default the record as it is now.

    Values are shown as a moderator reads them: choices by their Chinese labels."""
    record = change.record
    model = type(record)
    rows = []
    for name in change_fields(model):
        field = model._meta.get_field(name)
        now = current.get(name, "") if current is not None else getattr(record, name)
        submitted = change.data.get(name, "")
        labels = dict(field.flatchoices) if field.choices else {}
        rows.append((field.verbose_name, labels.get(now, now), labels.get(submitted, submitted),
                     now != submitted))  # fmt: skip
    return rows


def snapshot(record):
    """The record's changeable values, as a change request stores them."""
    return {name: getattr(record, name) for name in change_fields(type(record))}


def accept_change(change, user, note=""):
    """Replace the record's values by the request's; keep the old ones; approve.

    The moderator has just read the new values beside the old ones, so the record
    is approved with them (已审核). Returns False when the request was already
    decided (two moderators at once: the first decision stands)."""
    with transaction.atomic():
        record = type(change.record).objects.get(pk=change.record_id)
        before = snapshot(record)
        if not _decide(change, ChangeStatus.ACCEPTED, user, note, previous=before):
            return False
        # The values passed the public form's validation when they came in.
        for name, value in change.data.items():
            if name in before:
                setattr(record, name, value)
        record.status = Status.APPROVED
        record.submission_count += 1
        record.save()
        changed = [str(record._meta.get_field(name).verbose_name)
                   for name, value in before.items() if getattr(record, name) != value]  # fmt: skip
        log(instance=record, action="registrations.change_accepted", user=user,
            data={"change": change.pk, "fields": changed})  # fmt: skip
    return True


def reject_change(change, user, note=""):
    """Keep the record as it is; the request stays on file as 未采纳."""
    with transaction.atomic():
        if not _decide(change, ChangeStatus.REJECTED, user, note):
            return False
        log(instance=change.record, action="registrations.change_rejected", user=user,
            data={"change": change.pk})  # fmt: skip
    return True


def _decide(change, status, user, note, previous=None):
    """Record the decision, if nobody decided first (a conditional UPDATE, so two
    moderators pressing at once cannot both apply it). True when this one counts."""
    from django.utils import timezone

    values = {"status": status, "decided_by": user, "decided_at": timezone.now(),
              "note": note, "previous": previous}  # fmt: skip
    updated = (
        type(change).objects.filter(pk=change.pk, status=ChangeStatus.PENDING).update(**values)
    )
    if updated:
        for name, value in values.items():
            setattr(change, name, value)
    return bool(updated)
