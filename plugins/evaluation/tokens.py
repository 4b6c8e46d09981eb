"""Personal voting links (测评投票链接) that need no account.

A link carries ``Signer(salt).sign_object({"r": rater id, "n": nonce})`` (no timestamp,
so a rater's link is the same each time the organiser looks it up): the signature (keyed by
SECRET_KEY) refuses forged or altered links, the random per-rater nonce stored in the
database lets a link be withdrawn by changing it, and the rater row's ``voted_at``
(claimed with one conditional UPDATE) makes each link vote once.
"""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SALT = "gongjian.evaluation.vote"


class VoteRefused(Exception):
    """Why a vote cannot be taken; ``message`` is shown to the rater, ``status`` answered."""

    def __init__(self, message, status):
        super().__init__(message)
        self.message = message
        self.status = status


def make_token(rater):
    return signing.Signer(salt=SALT).sign_object({"r": rater.pk, "n": rater.nonce}, compress=True)


def vote_path(rater):
    return reverse("evaluation:vote", args=[make_token(rater)])


def rater_for_token(token):
    """The rater a link belongs to; raises ``VoteRefused`` for forged or withdrawn links."""
    from .models import RatingRater

    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        rater = RatingRater.objects.select_related("round__report__user").get(
            pk=int(data["r"]), nonce=str(data["n"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, RatingRater.DoesNotExist):
        raise VoteRefused(_("投票链接无效，请核对链接或联系组织者。"), 404) from None
    return rater


def check_open(rater, now=None):
    now = now or timezone.now()
    if rater.round.closed_at is not None or now >= rater.round.closes_at:
        raise VoteRefused(_("本次测评已结束，不再接受投票。"), 410)
    if rater.voted_at is not None:
        raise VoteRefused(_("您已经投过票，每个链接只能投票一次。"), 409)


def cast_vote(token, grade, comment="", now=None):
    """Record one vote for the link ``token``; raises ``VoteRefused`` and records nothing
    when the link is forged, used, or the round has closed."""
    from .grading import Grade
    from .models import RatingRater, RatingVote

    rater = rater_for_token(token)
    check_open(rater, now)
    if grade not in Grade.values:
        raise VoteRefused(_("请选择一项评价。"), 400)
    now = now or timezone.now()
    with transaction.atomic():
        claimed = RatingRater.objects.filter(pk=rater.pk, voted_at__isnull=True).update(
            voted_at=now
        )
        if not claimed:
            raise VoteRefused(_("您已经投过票，每个链接只能投票一次。"), 409)
        return RatingVote.objects.create(
            round_id=rater.round_id, grade=grade, comment=(comment or "").strip()[:2000]
        )
