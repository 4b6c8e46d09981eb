"""Task types routed by the organisation tree, the term list of the pre-publish check,
and the per-page-type workflow assignment (典型案例发布 follows every case)."""

import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState, WorkflowState, WorkflowTask


class Level(models.TextChoices):
    COMMUNITY = "community", _("社区")
    STREET = "street", _("街道")
    DISTRICT = "district", _("区")


class OrgReviewTask(Task):
    """组织审核: approved by the Reviewers of the page's nearest organisation of ``level``.

    Stock group approval names fixed groups, so every community secretary would see
    every community's pages; here the reviewers come from the tree (see routing.py)."""

    level = models.CharField(_("审核层级"), max_length=16, choices=Level.choices)

    admin_form_fields = [*Task.admin_form_fields, "level"]

    def start(self, workflow_state, user=None):
        """Start this step, after running again any pre-publish check before it in the
        workflow that has not passed the revision now submitted.

        Wagtail resumes a sent-back workflow at the step that sent it back, past the
        check, so a listed term added after a reviewer's send-back would reach the
        reviewer and the public unchecked. When the check finds something, its own
        (rejected) task state is returned: Wagtail then sends the page back from the
        check, and the next resubmission resumes there."""
        revision = workflow_state.content_object.latest_revision
        for check in PrePublishCheckTask.before(workflow_state.workflow, self):
            passed = workflow_state.task_states.filter(
                task=check, revision=revision, status=TaskState.STATUS_APPROVED
            )
            if not passed.exists():
                check_state = check.start(workflow_state, user=user)
                if check_state.status == TaskState.STATUS_REJECTED:
                    return check_state
        return super().start(workflow_state, user=user)

    def can_act(self, obj, user):
        from .routing import user_can_review

        if not isinstance(obj, Page):
            return False
        return user_can_review(user, obj, self.level)

    def reviewers(self, obj):
        """The users a waiting task is assigned to (whom the notification goes to)."""
        from .routing import reviewers_for

        return reviewers_for(obj, self.level)

    def user_can_access_editor(self, obj, user):
        return self.can_act(obj, user)

    def locked_for_user(self, obj, user):
        # Plone's "pending": the author cannot change what is under review.
        return not self.can_act(obj, user)

    def user_can_lock(self, obj, user):
        return self.can_act(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if self.can_act(obj, user):
            return [
                ("reject", _("退回修改"), True),
                ("approve", _("审核通过"), False),
                ("approve", _("审核通过并附意见"), True),
            ]
        return []

    def on_action(self, task_state, user, action_name, **kwargs):
        """Approve or reject under a row lock, so two reviewers never both act.

        The second reviewer waits for the first to commit, then finds the task finished
        and is told so (a redirect through the notice view, since this has no request)."""
        from .notices import notice_url

        with transaction.atomic():
            locked = (
                TaskState.objects.select_for_update()
                .select_related("workflow_state")
                .get(pk=task_state.pk)
            )
            page = locked.workflow_state.content_object
            if (
                locked.status != TaskState.STATUS_IN_PROGRESS
                or locked.workflow_state.status != WorkflowState.STATUS_IN_PROGRESS
            ):
                return notice_url("finished", page, locked)
            if not self.can_act(page.specific, user):
                raise PermissionDenied
            comment = kwargs.get("comment", "")
            if action_name == "approve":
                from .publishing import approval_blocked

                if approval_blocked(locked.workflow_state, page):
                    # Approving the last step publishes: the check runs on every publish.
                    return notice_url("blocked", page)
                locked.specific.approve(user=user, comment=comment)
            elif action_name == "reject":
                locked.specific.reject(user=user, comment=comment)
        # Wagtail's action view redirects here: the notice view tells what happened and
        # what comes next (the edit view ignores the URL; a hook tells it there).
        return notice_url("done", page, locked)

    def is_last_in(self, workflow):
        """Whether this is the last active step of ``workflow`` (approving it publishes)."""
        last = (
            WorkflowTask.objects.filter(workflow=workflow, task__active=True)
            .order_by("-sort_order").values_list("task_id", flat=True).first()
        )  # fmt: skip
        return last == self.pk

    @staticmethod
    def _listed_terms(page):
        from .checks import scan_page

        revision = page.get_latest_revision()
        return scan_page(revision.as_object() if revision else page.specific)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from .routing import has_reviewer_grants

        states = self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        )
        if not user.is_active:
            return states.none()
        if user.is_superuser:
            return states
        if not has_reviewer_grants(user):
            return states.none()
        page_ids = {int(s.workflow_state.object_id): s.pk for s in states.select_related(
            "workflow_state")}  # fmt: skip
        pages = Page.objects.in_bulk(list(page_ids))
        allowed = [pk for page_id, pk in page_ids.items()
                   if page_id in pages and self.can_act(pages[page_id], user)]  # fmt: skip
        return self.task_states.filter(pk__in=allowed)

    @classmethod
    def get_description(cls):
        return _("由页面所属社区、街道或区的“审核”角色审核（按组织树分派）")

    class Meta:
        verbose_name = _("组织审核")
        verbose_name_plural = _("组织审核")


class PrePublishCheckTask(Task):
    """发布前检查: an automatic step that scans the page's text against 审核词表.

    It finishes the moment it starts: it passes, or sends the page back to its author
    with every match quoted in context. Nobody acts on it."""

    #: Nobody acts on this step, so it never decides who may publish directly (the
    #: access policy reads this); the same check runs on every direct publish instead.
    automatic = True

    def start(self, workflow_state, user=None):
        from .checks import format_matches, scan_page

        task_state = super().start(workflow_state, user=user)
        matches = scan_page(task_state.revision.as_object())
        # update=False: WorkflowState.update() moves on (or marks 已退回) after start().
        if matches:
            task_state.reject(user=None, update=False, comment=format_matches(matches))
        else:
            task_state.approve(user=None, update=False, comment=str(_("未发现词表中的词语")))
        return task_state

    @classmethod
    def before(cls, workflow, task):
        """The active checks that come before ``task`` in ``workflow``, in order."""
        order = WorkflowTask.objects.filter(workflow=workflow, task=task).values("sort_order")
        return cls.objects.filter(
            active=True,
            workflow_tasks__workflow=workflow,
            workflow_tasks__sort_order__lt=Subquery(order[:1]),
        ).order_by("workflow_tasks__sort_order")

    def locked_for_user(self, obj, user):
        return False

    def get_actions(self, obj, user):
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _("自动检查：页面文字含有“审核词表”中的词语时退回并列出上下文，否则自动通过")

    class Meta:
        verbose_name = _("发布前检查")
        verbose_name_plural = _("发布前检查")


class TermKind(models.TextChoices):
    SENSITIVE = "sensitive", _("敏感词")
    OUTDATED = "outdated", _("旧称")


class ReviewTerm(models.Model):
    """One entry of 审核词表. Matching ignores case and surrounding whitespace."""

    term = models.CharField(_("词语"), max_length=100, unique=True)
    kind = models.CharField(_("类别"), max_length=16, choices=TermKind.choices,
                            default=TermKind.SENSITIVE)  # fmt: skip
    replacement = models.CharField(_("建议改为"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("审核词表")
        verbose_name_plural = _("审核词表")
        ordering = ["kind", "term"]

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        self.term = re.sub(r"\s+", " ", self.term).strip()
        super().save(*args, **kwargs)


class PageTypeWorkflow(models.Model):
    """The workflow every page of one type goes through, wherever it hangs in the tree.

    Wagtail assigns page workflows by position only; cases live under the organisation
    that wrote them, yet all go through 典型案例发布. A workflow attached to the exact
    page still wins; pages of other types are unaffected."""

    content_type = models.OneToOneField(ContentType, on_delete=models.CASCADE,
                                        verbose_name=_("页面类型"))  # fmt: skip
    workflow = models.ForeignKey("wagtailcore.Workflow", on_delete=models.CASCADE,
                                 verbose_name=_("审核流程"), related_name="+")  # fmt: skip

    class Meta:
        verbose_name = _("页面类型审核流程")
        verbose_name_plural = _("页面类型审核流程")

    def __str__(self):
        return f"{self.content_type} → {self.workflow}"
