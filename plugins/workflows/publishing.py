"""Direct publishing, as the workflow allows it (issue 20: Plone's DCWorkflow idea).

Who may publish is decided by the access plugin's page permission policy (a reviewer of
an earlier step is held back until the last step approves). This module adds what the
policy cannot see from a permission check alone:

* a crafted POST of ``action-publish`` by someone held back changes nothing (no draft
  saved either): Wagtail alone would quietly fall back to saving a draft;
* the 发布前检查 runs on every direct publish too (edit, create, revert, schedule,
  bulk), not only inside a workflow: a page with an active listed term is not published
  and the publisher reads every match in context;
* a superuser publishing past a workflow leaves an audit log entry saying so;
* ``install_publish_check`` puts the same check into Wagtail's publish action itself, the
  one step every publish passes through (the admin API's publish action, ``Page.publish``,
  ``publish_scheduled``, a workflow's last approval): the per-route hooks above only
  turn a refusal into a message on their page; ``guard_approval`` stops a last-step
  approval of any task type before it is recorded, since approving would publish;
* after submitting, a Chinese message says which step the page is at and who holds it.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.log_actions import log

from .checks import format_matches, scan_page

OVERRIDE_ACTION = "workflows.publish_override"
SCHEDULE_BLOCKED_ACTION = "workflows.schedule_blocked"
#: The log action ``publish_scheduled`` passes: how the publish action knows it has no
#: publisher to answer and must report elsewhere.
SCHEDULED_LOG_ACTION = "wagtail.publish.scheduled"


class PublishBlocked(ValidationError):
    """A publish refused by the 发布前检查. A ``ValidationError`` with a message dict, so
    the admin API answers 400 with the matches (Chinese) instead of a 500."""

    def __init__(self, matches):
        self.matches = matches
        super().__init__({"__all__": [_("未发布：") + format_matches(matches)]})


def _checked_execute(original):
    def execute(self, skip_permission_checks=False):
        from wagtail.models import Page

        # Permission first: whoever may not publish learns nothing about the text.
        self.check(skip_permission_checks=skip_permission_checks)
        if isinstance(self.object, Page):
            matches = scan_page(self.object)
            if matches:
                if self.log_action == SCHEDULED_LOG_ACTION:
                    return cancel_blocked_schedule(self.revision, self.object, matches)
                raise PublishBlocked(matches)
        return original(self, skip_permission_checks=True)

    execute.checks_terms = True
    return execute


def install_publish_check():
    """Run the 发布前检查 inside ``PublishRevisionAction.execute`` (pages; inherited by
    ``PublishPageRevisionAction``).

    Wagtail builds that action directly in the edit view, ``Page.publish``, the admin
    API and ``publish_scheduled`` (its action registry is not consulted there), so
    wrapping the class's one ``execute`` is the single place every publish passes,
    like the access plugin's ``Page.permissions_for_user``. Idempotent."""
    from wagtail.actions.publish_revision import PublishRevisionAction

    if not getattr(PublishRevisionAction.execute, "checks_terms", False):
        PublishRevisionAction.execute = _checked_execute(PublishRevisionAction.execute)


def cancel_blocked_schedule(revision, page, matches):
    """A scheduled go-live whose text now holds a listed term (added to 审核词表 after the
    page was scheduled): not published. The schedule is cancelled (else every run would
    try again) and the draft is kept; the page's history records why, and whoever wrote
    the revision gets a mail with the matches, so they can fix it and submit again."""
    from wagtail.models import Revision

    from .notifications import _send

    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
    comment = format_matches(matches)
    log(instance=page, action=SCHEDULE_BLOCKED_ACTION, revision=revision,
        data={"comment": comment})  # fmt: skip
    if revision.user_id:
        _send([revision.user], "schedule_blocked", {"page": page, "comment": comment})
    return None


def approval_blocked(workflow_state, page):
    """The 发布前检查's matches when approving the current step of ``workflow_state``
    would publish ``page`` (it is the last step), else an empty list."""
    if not workflow_state.is_at_final_task:
        return []
    revision = page.get_latest_revision()
    return scan_page(revision.as_object() if revision else page.specific)


def _guarded_on_action(original):
    def on_action(self, task_state, user, action_name, **kwargs):
        from wagtail.models import Page

        from .notices import notice_url

        page = task_state.workflow_state.content_object
        if not isinstance(page, Page):
            return original(self, task_state, user, action_name, **kwargs)
        if action_name == "approve" and approval_blocked(task_state.workflow_state, page):
            return notice_url("blocked", page)
        url = original(self, task_state, user, action_name, **kwargs)
        return url or notice_url("done", page, task_state)

    on_action.guarded = True
    return on_action


def guard_approval():
    """Stop a last-step approval that would publish a page with a listed term, for every
    task type that keeps Wagtail's ``Task.on_action`` (the access plugin's 本级审核 of
    共建审核; 组织审核 asks ``approval_blocked`` itself under its row lock), and say in
    Chinese what happened after approving or sending back (the notice view)."""
    from wagtail.models import Task

    if not getattr(Task.on_action, "guarded", False):
        Task.on_action = _guarded_on_action(Task.on_action)


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _wants_publish(request):
    return request.method == "POST" and bool(request.POST.get("action-publish"))


def _reserved_step(user, page):
    from wagtail.permissions import policy_registry

    policy = policy_registry.get(page)
    finder = getattr(policy, "publish_reserved_step", None)
    return finder(user, page) if finder else None


def refuse_held_back_publish(request, page):
    """``before_edit_page``: a publish (or revert-and-publish, or scheduling) POST by a user
    the workflow holds back is refused before anything is saved."""
    if not _wants_publish(request) or page.permissions_for_user(request.user).can_publish():
        return None
    step = _reserved_step(request.user, page)
    if step is not None:
        text = _("此页面须经“%(step)s”审核通过后发布：请提交审核，或在您负责的步骤点“审核通过”。")
        messages.error(request, text % {"step": step.name})
    else:
        messages.error(request, _("您没有发布此页面的权限。"))
    return redirect(_edit_url(page))


def refuse_held_back_publish_on_create(request, parent_page, page_class):
    """``before_create_page``: the same for creating and publishing in one go, asked for
    the type being created (a case follows 典型案例发布 wherever it is created)."""
    if not _wants_publish(request):
        return None
    if parent_page.permissions_for_user(request.user).can_publish_subpage_of_type(page_class):
        return None
    messages.error(request, _("新页面须提交审核，审核通过后发布。"))
    return redirect(reverse("wagtailadmin_explore", args=[parent_page.pk]))


def hide_publish_on_create(menu_items, request, context):
    """``construct_page_action_menu``: Wagtail's create view asks only the parent whether
    its new page may be published (``can_publish_subpage``); ask with the type being
    created too (read from the create URL), so the 发布 item is absent exactly when
    the publish would be refused."""
    from django.apps import apps

    if context.get("view") != "create" or request.resolver_match is None:
        return
    kwargs = request.resolver_match.kwargs
    try:
        page_class = apps.get_model(kwargs["content_type_app_name"],
                                    kwargs["content_type_model_name"])  # fmt: skip
    except (KeyError, LookupError):
        return
    tester = context["parent_page"].permissions_for_user(request.user)
    if not tester.can_publish_subpage_of_type(page_class):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def matches_html(matches):
    """The check's findings as HTML lines (the message shows them in context)."""
    return format_html_join("", "<br>{}", ((line,) for line in format_matches(matches).split("\n")))


def check_before_publish(request, page):
    """``before_publish_page``: the 发布前检查 on a direct publish. The page (with the
    publisher's edits) is already saved as a draft revision, so nothing is lost; it is
    simply not published, and the publisher sees every match."""
    matches = scan_page(page)
    if not matches:
        return None
    messages.error(request, format_html("{}{}", _("未发布："), matches_html(matches)))
    return redirect(_edit_url(page))


def _human_workflow(page):
    workflow = page.get_workflow()
    if workflow is None:
        return None
    steps = workflow.tasks.filter(active=True).specific()
    return workflow if any(not getattr(t, "automatic", False) for t in steps) else None


def log_override(user, page):
    """Record that a superuser published ``page`` directly, past its workflow's reviewers."""
    if not user.is_superuser:
        return
    workflow = _human_workflow(page.specific)
    if workflow is not None:
        log(instance=page.specific, action=OVERRIDE_ACTION, user=user,
            data={"workflow": {"id": workflow.pk, "title": workflow.name}})  # fmt: skip


def log_override_after_publish(request, page):
    """``after_publish_page``: see ``log_override``."""
    log_override(request.user, page)


def blocked_approval_message(matches):
    """Why an approval was not recorded: approving would publish, and the 发布前检查 found
    ``matches`` (shown in context)."""
    from .notices import MESSAGES

    return format_html("{}{}", MESSAGES["blocked"] % {"detail": ""}, matches_html(matches))


#: Where ``remember_workflow_action`` leaves the task state an edit-view action is about.
ACTED_STATE_ATTR = "_workflows_acted_task_state_id"


def remember_workflow_action(request, page):
    """``before_edit_page``: note which task state a workflow action posted from the edit
    view is about, before it runs. Wagtail's edit view ignores what the task's
    ``on_action`` returns (the notice URL that explains a refusal), so the after hook
    must tell by itself whether *this* action happened, and not mistake an earlier
    decision of the same reviewer on the same page for it."""
    if request.method == "POST" and request.POST.get("action-workflow-action"):
        state = page.current_workflow_task_state
        setattr(request, ACTED_STATE_ATTR, state.pk if state is not None else None)


def _workflow_action_feedback(request, page):
    """After a workflow action from the edit view: what happened and what is next, or, when
    an approval was refused because it would publish a page with a listed term, why (and
    back to the edit view, where the reviewer can fix the text), as the dashboard's
    action view says through the notice view."""
    from wagtail.models import TaskState

    from .feedback import after_action_message

    state_id = getattr(request, ACTED_STATE_ATTR, None)
    state = (
        TaskState.objects.select_related("workflow_state").filter(pk=state_id).first()
        if state_id else None
    )  # fmt: skip
    if state is None:
        return None
    if state.status == TaskState.STATUS_IN_PROGRESS:
        if request.POST.get("workflow-action-name") == "approve":
            matches = approval_blocked(state.workflow_state, page)
            if matches:
                messages.error(request, blocked_approval_message(matches))
                return redirect(_edit_url(page))
        return None
    if state.finished_by_id == request.user.pk:
        text = after_action_message(state)
        if text:
            messages.success(request, text)
    return None


def feedback_after_edit(request, page):
    """``after_edit_page`` / ``after_create_page``: after 提交审核, say where the page is now;
    after approving or sending back from the edit form, what happened and what is next
    (Wagtail's edit view ignores the URL the task returns, which says it elsewhere)."""
    from .feedback import state_message

    if request.method != "POST":
        return None
    if request.POST.get("action-workflow-action"):
        return _workflow_action_feedback(request, page)
    if request.POST.get("action-submit"):
        text = state_message(page)
        if text:
            messages.success(request, text)
    return None


class CheckedPublishBulkAction(PublishBulkAction):
    """Wagtail's bulk 发布, with the pre-publish check on each page's latest revision:
    a page with a listed term goes to the list of pages not published, with its matches.
    Who may publish is the policy's (``can_publish``), as for one page."""

    def check_perm(self, page):
        return super().check_perm(page) and not self._blocked(page)

    def _blocked(self, page):
        cache = self.__dict__.setdefault("_blocked_cache", {})
        if page.pk not in cache:
            revision = page.get_latest_revision()
            cache[page.pk] = scan_page(revision.as_object() if revision else page.specific)
            if cache[page.pk] and self.request.method == "GET":
                messages.warning(self.request, format_html(
                    "“{}”{}{}", page.get_admin_display_title(), _("含审核词表中的词语，不能发布："),
                    matches_html(cache[page.pk]),
                ))  # fmt: skip
        return bool(cache[page.pk])

    @classmethod
    def execute_action(cls, objects, include_descendants=False, user=None, **kwargs):
        num_parent, num_child = 0, 0
        for page in objects:
            revision = page.get_latest_revision() or page.specific.save_revision(user=user)
            revision.publish(user=user)
            if user is not None:
                log_override(user, page)
            num_parent += 1
            if not include_descendants:
                continue
            drafts = page.get_descendants().not_live().defer_streamfields().specific()
            for child in drafts.iterator():
                if user is not None and not child.permissions_for_user(user).can_publish():
                    continue
                child_revision = child.get_latest_revision() or child.save_revision(user=user)
                if scan_page(child_revision.as_object()):
                    continue
                child_revision.publish(user=user)
                if user is not None:
                    log_override(user, child)
                num_child += 1
        return num_parent, num_child
