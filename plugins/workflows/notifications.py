"""Email notifications of the workflows, replacing Wagtail's stock ones.

* a 组织审核 step starts: its reviewers (exactly those who can act; superusers, who
  may always act, are not mailed);
* the workflow is approved (published) or sent back: the author (who submitted), with
  the comments;
* sent back at a later step: also every reviewer who approved an earlier step of that
  run (stock Wagtail tells only the author: its issue #10196).

Each respects the recipient's switches under 账号设置 › 通知 (submitted for the
reviewers' "waiting" mail, approved, rejected), as Wagtail's mails do.

Wagtail connects its own workflow_submitted/approved/rejected notifiers in
``wagtail.admin``'s ready(), under fixed dispatch_uids. Plugins' apps come before
wagtail.admin in INSTALLED_APPS, so connecting our handlers under those same uids
first makes Wagtail's later connect() a no-op (Django ignores a second receiver with
a registered uid); disconnecting first covers the other order. Nobody gets two mails.
Wagtail's task_submitted notifier is left alone: it handles only its group approval task.

Only pages are ours: a workflow on a snippet (any non-page ``WorkflowMixin`` model) is
handed to Wagtail's own notifier for that signal, so snippets get exactly the stock mails.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

logger = logging.getLogger(__name__)

STOCK_UIDS = {
    workflow_submitted: "workflow_state_submitted_email_notification",
    workflow_rejected: "workflow_state_rejected_email_notification",
    workflow_approved: "workflow_state_approved_email_notification",
}


def _admin_url(path):
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/") + path


def wants(user, preference):
    """Whether ``user`` keeps the ``preference`` mails (submitted, approved, rejected) on in
    their account's notification settings (账号设置 › 通知), which Wagtail's own workflow
    mails respect; ours replace those mails, so they respect the same switches."""
    from wagtail.users.models import UserProfile

    return preference is None or getattr(
        UserProfile.get_for_user(user), f"{preference}_notifications", True
    )


def _send(users, template, context, preference=None):
    from django.urls import reverse

    page = context.get("page")
    if page is not None:
        context.setdefault(
            "edit_url", _admin_url(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        )
    sent = 0
    for user in users:
        if not user.email or not user.is_active or not wants(user, preference):
            continue
        body = render_to_string(f"workflows/mail/{template}.txt", {**context, "user": user})
        subject, _sep, text = body.partition("\n")
        try:
            send_mail(subject.strip(), text.strip() + "\n", None, [user.email])
            sent += 1
        except Exception:  # a mail server fault must never undo an approval
            logger.exception("workflow notification to %s failed", user.email)
    return sent


def _page(workflow_state):
    return workflow_state.content_object.specific


def is_page_state(workflow_state):
    """Whether ``workflow_state`` moderates a page (from its cached content type, no query)."""
    from wagtail.models import Page

    model = workflow_state.base_content_type.model_class()
    return model is not None and issubclass(model, Page)


def _stock_notifier(signal):
    from wagtail.admin import signal_handlers as stock

    return {
        workflow_submitted: stock.workflow_submission_email_notifier,
        workflow_approved: stock.workflow_approval_email_notifier,
        workflow_rejected: stock.workflow_rejection_email_notifier,
    }[signal]


def pages_only(signal):
    """Run the handler for page workflows; give any other object to Wagtail's notifier."""

    def wrap(handler):
        def receiver(sender, instance, user=None, **kwargs):
            if is_page_state(instance):
                return handler(sender, instance, user=user, **kwargs)
            return _stock_notifier(signal)(sender=sender, instance=instance, user=user, **kwargs)

        receiver.__doc__ = handler.__doc__
        return receiver

    return wrap


def on_task_submitted(sender, instance, user=None, **kwargs):
    from .models import OrgReviewTask

    task = instance.task.specific
    if not isinstance(task, OrgReviewTask) or not is_page_state(instance.workflow_state):
        return
    page = _page(instance.workflow_state)
    recipients = [r for r in task.reviewers(page) if user is None or r.pk != user.pk]
    _send(recipients, "task_waiting", {
        "page": page, "task": task, "author": instance.workflow_state.requested_by,
    }, preference="submitted")  # fmt: skip


@pages_only(workflow_submitted)
def on_workflow_submitted(sender, instance, user=None, **kwargs):
    """Nothing to send: the first waiting step mails its own reviewers."""


def _author_unless(workflow_state, actor):
    author = workflow_state.requested_by
    if author is None or (actor is not None and author.pk == actor.pk):
        return []
    return [author]


@pages_only(workflow_approved)
def on_workflow_approved(sender, instance, user=None, **kwargs):
    states = list(
        instance.task_states.filter(status=TaskState.STATUS_APPROVED)
        .select_related("task", "finished_by").order_by("finished_at", "pk")
    )  # fmt: skip
    _send(_author_unless(instance, user), "approved", {
        "page": _page(instance), "workflow": instance.workflow,
        "steps": [s for s in states if s.finished_by_id or s.comment],
    }, preference="approved")  # fmt: skip


@pages_only(workflow_rejected)
def on_workflow_rejected(sender, instance, user=None, **kwargs):
    rejected = instance.current_task_state
    actor = rejected.finished_by if rejected else None
    page = _page(instance)
    context = {"page": page, "workflow": instance.workflow, "task_state": rejected,
               "actor": actor, "automatic": actor is None}  # fmt: skip
    _send(_author_unless(instance, actor), "rejected", context, preference="rejected")
    earlier = (
        instance.task_states.filter(status=TaskState.STATUS_APPROVED, finished_by__isnull=False)
        .exclude(finished_by=actor).select_related("finished_by")
    )  # fmt: skip
    author_id = instance.requested_by_id
    reviewers = {s.finished_by_id: s.finished_by for s in earlier if s.finished_by_id != author_id}
    _send(reviewers.values(), "rejected_reviewer", context, preference="rejected")


def connect():
    for signal, uid in STOCK_UIDS.items():
        signal.disconnect(sender=WorkflowState, dispatch_uid=uid)
    workflow_submitted.connect(on_workflow_submitted, sender=WorkflowState,
                               dispatch_uid=STOCK_UIDS[workflow_submitted])  # fmt: skip
    workflow_rejected.connect(on_workflow_rejected, sender=WorkflowState,
                              dispatch_uid=STOCK_UIDS[workflow_rejected])  # fmt: skip
    workflow_approved.connect(on_workflow_approved, sender=WorkflowState,
                              dispatch_uid=STOCK_UIDS[workflow_approved])  # fmt: skip
    task_submitted.connect(on_task_submitted, dispatch_uid="gongjian_org_review_task_submitted")
