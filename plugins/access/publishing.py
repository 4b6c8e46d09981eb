"""Publishing follows the workflow (Plone's DCWorkflow: a state's permissions come from
the workflow, not only from the role).

Kept apart from the policy's sources of grants (``policy``): this module only decides
when a held ``publish_page`` grant may be used directly. A grant of ``publish_page``
lets its holder publish a page directly only when they may act on the last human step
of the workflow that governs the page (its own, its type's or an ancestor's,
``Page.get_workflow``); otherwise they submit it and approve their own step, and the
last step's reviewers publish by approving. ``publish_reserved_step`` decides it; the
page permission tester (``WorkflowPagePermissionTester``, installed for every page by
``install_permission_tester``) and ``user_has_permission_for_instance`` ask it, so the
edit view, the action menus, the bulk actions, the admin API and Wagtail's publish
actions all agree.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.models import PagePermissionTester


class WorkflowPublishingMixin:
    """The page policy's publishing rule: ``publish`` held back to the workflow's last
    human step (see the module docstring). Mixed into ``LocalRolePagePermissionPolicy``
    ahead of Wagtail's ``PagePermissionPolicy``."""

    reserved_cache_name = "_publish_reserved_cache"

    def publish_reserved_step(self, user, page):
        """The workflow step whose reviewers alone may publish ``page``, when ``user``
        cannot act on it; ``None`` when nothing holds the user back.

        Only the last step that a person acts on counts (automatic steps such as the
        pre-publish check declare ``automatic = True`` and run on every publish anyway):
        a user who may act on it may publish directly, since approving it would publish;
        anyone else would skip that step. Superusers are never held back (their direct
        publishes are logged as such by the workflows plugin). Cached per user and page
        for the request; while it is being decided, a task that itself asks whether the
        user may publish (the access plugin's 本级审核) sees the grant alone."""
        if not user.is_active or user.is_anonymous or user.is_superuser or not page.pk:
            return None
        cache = user.__dict__.setdefault(self.reserved_cache_name, {})
        if page.pk in cache:
            return cache[page.pk]
        cache[page.pk] = None
        cache[page.pk] = step = self._last_step_user_cannot_act_on(user, page)
        return step

    def publish_reserved_step_for_new(self, user, parent, page_class):
        """``publish_reserved_step`` for a page of ``page_class`` not yet created under
        ``parent`` (create and publish in one go). A type with a workflow of its own
        (典型案例发布 for cases) is governed by it, whatever the parent's; any other type
        by the parent's (its own assignment or an ancestor's), as it will be once saved."""
        from wagtail.models import Page

        if not user.is_active or user.is_anonymous or user.is_superuser:
            return None
        if page_class.get_workflow is Page.get_workflow:
            return self.publish_reserved_step(user, parent)
        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return None
        new = page_class(title="", path=parent.path + "0" * self.model.base_page_model.steplen,
                         depth=parent.depth + 1)  # fmt: skip
        workflow = new.get_workflow()
        if workflow is None:
            return None
        last = _last_human_steps().get(workflow.pk)
        # Acting on a step of a page not yet created is judged on where it will hang.
        if last is None or last.get_actions(parent, user):
            return None
        return last

    def _last_step_user_cannot_act_on(self, user, page):
        last = self._last_human_step(user, page)
        if last is None or last.get_actions(page, user):
            return None
        return last

    def _last_human_step(self, user, page):
        """The last step a person acts on in the workflow governing ``page``, or ``None``.

        A listing asks this for every row, so it is memoised on the user for the request:
        pages without a workflow of their own are governed alike when they have the same
        type and parent (a type workflow, else the nearest ancestor's), and each workflow's
        steps are read once."""
        from wagtail.models import Page, WorkflowPage

        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return None
        cache = user.__dict__.setdefault("_governing_workflow_cache", {})
        if "assigned" not in cache:
            # Wagtail's own rule (the page's or its nearest ancestor's assignment), read
            # once: the assignments are a few rows (one per organisation level at most).
            cache["assigned"] = dict(
                WorkflowPage.objects.filter(workflow__active=True, page__depth__gt=0)
                .values_list("page__path", "workflow_id")
            )  # fmt: skip
        cls = page.specific_class
        if cls is not None and cls.get_workflow is not Page.get_workflow:
            # The type decides (典型案例发布 follows every case): ask it, once per type.
            key = ("type", page.content_type_id, page.pk if page.path in cache["assigned"] else 0)
            if key not in cache:
                workflow = page.specific_deferred.get_workflow()
                cache[key] = None if workflow is None else workflow.pk
            workflow_id = cache[key]
        else:
            steplen = self.model.base_page_model.steplen
            prefixes = (page.path[:end] for end in range(len(page.path), 0, -steplen))
            workflow_id = next((cache["assigned"][p] for p in prefixes if p in cache["assigned"]),
                               None)  # fmt: skip
        if workflow_id is None:
            return None
        if "last_steps" not in cache:
            cache["last_steps"] = _last_human_steps()
        return cache["last_steps"].get(workflow_id)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        actions = set(actions)
        if "publish" in actions and self.publish_reserved_step(user, instance) is not None:
            actions.discard("publish")
            if not actions:
                return False
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def user_holds_grant_for_instance(self, user, action, instance):
        """Whether ``user`` holds ``action`` on ``instance`` by role or group, whatever the
        workflow says (who may review a step is decided by the grant)."""
        return super().user_has_any_permission_for_instance(user, {action}, instance)


class WorkflowPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, with every way of making content public directly (publish,
    schedule, revert and publish, unpublish, create and publish, privacy) refused where
    the policy reserves publishing to a workflow step the user cannot act on."""

    def _reserved(self):
        return (
            self.user.is_active
            and not self.user.is_superuser
            and "publish" in self.permissions
            and self.permission_policy.publish_reserved_step(self.user, self.page) is not None
        )

    def can_publish(self):
        return super().can_publish() and not self._reserved()

    def can_unpublish(self):
        return super().can_unpublish() and not self._reserved()

    def can_publish_subpage(self):
        # A new page is governed by its parent's workflow (unless its type has its own:
        # Wagtail's publish action asks ``can_publish`` of the new page itself too).
        return super().can_publish_subpage() and not self._reserved()

    def can_publish_subpage_of_type(self, page_class):
        """``can_publish_subpage`` for a new page of ``page_class``: refused where the
        workflow that will govern it holds the user back (the create view's 发布 item
        and its publish POST both ask this, so the button is absent exactly when Wagtail's
        publish action would answer 403)."""
        return self.can_publish_subpage() and (
            self.user.is_superuser
            or self.permission_policy.publish_reserved_step_for_new(
                self.user, self.page, page_class
            ) is None
        )  # fmt: skip


def _permissions_for_user(self, user):
    """``Page.permissions_for_user``: the policy's tester (a page type that defines its own
    method still wins, as in Wagtail)."""
    from wagtail.models import Page

    is_overridden = self.specific_class and (
        self.specific_class.permissions_for_user is not Page.permissions_for_user
    )
    if is_overridden and not isinstance(self, self.specific_class):
        return self.specific_deferred.permissions_for_user(user)
    return WorkflowPagePermissionTester(user, self)


def install_permission_tester():
    """Make every page's ``permissions_for_user`` return ``WorkflowPagePermissionTester``.

    Wagtail builds its tester in ``Page.permissions_for_user`` and lets page types
    override that method; replacing it once on ``Page`` is the one place every admin
    view, action menu, bulk action and publish action reads."""
    from wagtail.models import Page

    Page.permissions_for_user = _permissions_for_user


def _last_human_steps():
    """{workflow id: its last active step a person acts on} for every active workflow.

    Which steps are automatic is read from their type (``automatic = True``), so only the
    last human steps are loaded as specific tasks: a few queries whatever the workflows."""
    from wagtail.models import Task, WorkflowTask

    rows = (
        WorkflowTask.objects.filter(workflow__active=True, task__active=True)
        .order_by("workflow_id", "sort_order")
        .values_list("workflow_id", "task_id", "task__content_type_id")
    )  # fmt: skip
    last = {}
    for workflow_id, task_id, content_type_id in rows:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and not getattr(model, "automatic", False):
            last[workflow_id] = task_id
    tasks = {t.pk: t for t in Task.objects.filter(pk__in=set(last.values())).specific()}
    return {
        workflow_id: tasks[task_id] for workflow_id, task_id in last.items() if task_id in tasks
    }
