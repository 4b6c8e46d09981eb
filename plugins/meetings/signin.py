"""Scan-to-sign-in (扫码签到) at a meeting: who may sign in, when, and how it is recorded.

The meeting's sign-in code is printed on a poster in the meeting room. Its address
carries a token signed with the site's secret key (django.core.signing), so nobody
can reach the sign-in of a meeting by counting page ids; the token is shown only to
those who may edit the meeting (they print the poster), never on the public page.

Who: the meeting's expected attendees are its attendance rows (出席情况), which the
editor's form fills from the committee when the meeting is created. An attendee signs
in either

* logged in: the account's name (姓名) is the attendee's name *and* the account belongs
  to the committee: for a row with a source unit (a part-time member), an appointment
  (兼职委员任职, not removed) to this committee from that unit; for a row without one
  (the full-time officers), the right to edit the meeting. A name alone proves nothing
  (any resident may register as 王建国), so anyone else uses the phone way; or
* not logged in: by choosing their name and typing the last four digits of the phone
  recorded on their attendance row (``Attendance.phone``, private; the editor enters it
  once and new meetings carry it over). Wrong digits are counted per address and per
  attendee: past the limits the phone way is closed for a while (429), so the ten
  thousand possible endings cannot be tried.

When: from an hour before the start (the whole day when no time is set) to an hour
after the end (the end of the day when no end is set), in the site's time zone.

What a sign-in changes: the one attendance row (present, no absence reason) and one
``SignIn`` record with time, method, account and address; nothing else, whoever asks.
"""

import hmac
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongjian_site.params import parse_id
from gongjian_site.ratelimit import client_address
from plugins.orgs.api import normalise_phone

SALT = "gongjian.meetings.signin"
OPENS_BEFORE = timedelta(hours=1)
CLOSES_AFTER = timedelta(hours=1)
#: Wrong phone endings one address may type for one meeting within FAILURE_WINDOW.
FAILURES_PER_ADDRESS = 8
#: Wrong endings typed for one attendee (from any address) before the phone way closes
#: for them: five tries in 10 000 endings.
FAILURES_PER_ATTENDEE = 5
FAILURE_WINDOW = 60 * 60

NOT_OPEN = "not_open"
OPEN = "open"
CLOSED = "closed"


def _signer():
    return signing.Signer(salt=SALT, sep=".", algorithm="sha256")


def token_for(meeting):
    """The sign-in token of ``meeting``: its id, signed. Not guessable without the key."""
    return _signer().sign(str(meeting.pk))


def meeting_id_from(token):
    """The meeting id ``token`` was signed for, or None for anything else."""
    try:
        value = _signer().unsign(str(token or ""))
    except signing.BadSignature:
        return None
    return parse_id(value)


@dataclass(frozen=True)
class Window:
    opens: datetime
    closes: datetime

    def state(self, at):
        if at < self.opens:
            return NOT_OPEN
        if at > self.closes:
            return CLOSED
        return OPEN


def window_of(meeting):
    """When ``meeting``'s sign-in is open (aware datetimes in the site's time zone)."""
    day = meeting.date
    if meeting.start_time:
        opens = _aware(day, meeting.start_time) - OPENS_BEFORE
    else:
        opens = _aware(day, time(0, 0))
    if meeting.end_time:
        closes = _aware(day, meeting.end_time) + CLOSES_AFTER
    else:
        closes = _aware(day + timedelta(days=1), time(0, 0)) - timedelta(microseconds=1)
    return Window(opens, closes)


def _aware(day, moment):
    return timezone.make_aware(datetime.combine(day, moment))


# --- Throttling of the phone way ------------------------------------------------------


def _keys(request, meeting, attendance_id):
    address = client_address(request)
    return (
        f"meetings-signin:addr:{meeting.pk}:{address}",
        f"meetings-signin:person:{meeting.pk}:{attendance_id}",
    )


def phone_way_closed(request, meeting, attendance_id):
    """True when this address, or this attendee, has typed too many wrong endings."""
    by_address, by_person = _keys(request, meeting, attendance_id)
    counts = cache.get_many([by_address, by_person])
    return (
        counts.get(by_address, 0) >= FAILURES_PER_ADDRESS
        or counts.get(by_person, 0) >= FAILURES_PER_ATTENDEE
    )


def count_failure(request, meeting, attendance_id):
    for key in _keys(request, meeting, attendance_id):
        if not cache.add(key, 1, timeout=FAILURE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=FAILURE_WINDOW)


def phone_matches(attendance, digits):
    """Do ``digits`` equal the last four digits of the attendee's recorded phone?
    (Compared in constant time; False when no phone is recorded.)"""
    phone = normalise_phone(attendance.phone)
    if len(phone) < 4 or not phone[-4:].isdigit():
        return False
    return hmac.compare_digest(phone[-4:], str(digits))


# --- Matching an account ---------------------------------------------------------------


def account_name(user):
    """The account's 姓名, family name first (site/names.py's rule)."""
    return user.get_full_name().strip()


def attendance_for_user(user, meeting, rows):
    """The row of ``rows`` (the meeting's attendance) that is ``user``, or None.

    The name must match and the account must belong to the committee (see the module
    docstring): the appointments pick a part-time member's row by source unit, and
    namesakes that nothing tells apart give None, so the phone way decides."""
    name = account_name(user)
    candidates = [row for row in rows if name and row.person_name == name]
    if not candidates:
        return None
    from plugins.access.models import Appointment

    # The committee is the meeting index's parent; its path names it without loading
    # the two pages (a sign-in from a phone should cost as little as it can).
    committee_path = meeting.path[: -2 * meeting.steplen]
    units = set(
        Appointment.objects.filter(user=user, committee__path=committee_path)
        .exclude(status="removed")
        .values_list("source_unit_id", flat=True)
    )
    officer = None  # asked only when a row without a source unit bears the name

    def belongs(row):
        nonlocal officer
        if row.source_unit_id is not None:
            return row.source_unit_id in units
        if officer is None:
            officer = meeting.permissions_for_user(user).can_edit()
        return officer

    candidates = [row for row in candidates if belongs(row)]
    return candidates[0] if len(candidates) == 1 else None


# --- Recording -------------------------------------------------------------------------


def _address(request):
    """The client's address when it is one (a proxy header could carry anything)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_ipv46_address

    address = client_address(request)
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


def record(request, meeting, attendance, method, user=None):
    """Sign ``attendance`` in; returns ``(sign_in, created)``. Idempotent: a second
    sign-in returns the first record and changes nothing."""
    from .models import SignIn

    existing = SignIn.objects.filter(attendance=attendance).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            sign_in = SignIn.objects.create(
                meeting=meeting,
                attendance=attendance,
                person_name=attendance.person_name,
                method=method,
                user=user if user is not None and user.is_authenticated else None,
                address=_address(request),
            )
            if not attendance.present or attendance.absence_reason:
                # An UPDATE of two fields, not save(): the row is part of the page, and a
                # save would have Wagtail re-read the whole page for its reference index.
                # The cached page hears of it through the SignIn row (apps.py).
                type(attendance).objects.filter(pk=attendance.pk).update(
                    present=True, absence_reason=""
                )
                attendance.present, attendance.absence_reason = True, ""
    except IntegrityError:  # signed in from two phones at once: the first one counts
        return SignIn.objects.get(attendance=attendance), False
    return sign_in, True
