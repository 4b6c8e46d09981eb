"""The page permission policy: Wagtail's group grants plus per-user local roles.

Wagtail 8 asks this one object for every page decision (explorer, editor, chooser,
search, bulk actions, PagePermissionTester ...). All of them read the list that
``get_all_permissions_for_user`` returns, so adding the user's own grants to that
list makes them hold everywhere without touching a view. Each entry only needs
``page``, ``page_id`` and ``permission``, the shape of ``GroupPagePermission``.

Sources, each read with one query whatever the number of grants:
  * ``GroupPagePermission`` rows of the user's groups (Wagtail, unchanged);
  * guardian ``UserObjectPermission`` rows on pages (local roles, the 共享 view);
  * appointments in term today (兼职委员任职), which give the Editor role on their units.
The list is cached on the user object, i.e. for one request.

Publishing follows the workflow (Plone's DCWorkflow: a state's permissions come from
the workflow, not only from the role). A grant of ``publish_page`` lets its holder
publish a page directly only when they may act on the last human step of the workflow
that governs the page (its own, its type's or an ancestor's, ``Page.get_workflow``);
otherwise they submit it and approve their own step, and the last step's reviewers
publish by approving. ``publish_reserved_step`` decides it; the page permission tester
(``WorkflowPagePermissionTester``, installed for every page by ``install_permission_tester``)
and ``user_has_permission_for_instance`` ask it, so the edit view, the action menus,
the bulk actions, the admin API and Wagtail's publish actions all agree.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from guardian.models import UserObjectPermission
from wagtail.models import PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

from gongjian_site import clock
from plugins.orgs.models import ResidentUnitPage

from .roles import ADMIN_CODENAMES, EDITOR


@dataclass(frozen=True)
class UserPagePermission:
    """A user's own right on a page; quacks like ``GroupPagePermission``."""

    page: object
    permission: Permission
    source: str  # "local" (guardian grant) or "appointment"

    @property
    def page_id(self):
        return self.page.pk


def page_content_type():
    from wagtail.models import Page

    return ContentType.objects.get_for_model(Page)


def appointed_unit_ids(user, today=None):
    """Ids of the unit pages the user edits through appointments in term on ``today``.

    A lazy queryset, so callers can use it as a subquery."""
    from .models import Appointment

    appointments = Appointment.objects.in_term(today).filter(user=user)
    return ResidentUnitPage.objects.filter(
        Q(assigned_appointments__in=appointments)
        | Q(appointments_from__in=appointments.filter(assigned_units__isnull=True))
    ).values_list("pk", flat=True)


class LocalRolePagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, extended by guardian grants and appointments, with publishing
    held back to the workflow's last step (see the module docstring)."""

    reserved_cache_name = "_publish_reserved_cache"

    # --- Publishing follows the workflow -----------------------------------

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

    def get_all_permissions_for_user(self, user):
        group_permissions = super().get_all_permissions_for_user(user)
        if not user.is_active or user.is_anonymous or user.is_superuser:
            return group_permissions
        permissions = list(group_permissions)
        permissions.extend(self.get_user_page_permissions(user))
        return permissions

    def get_user_page_permissions(self, user, today=None):
        """The user's own rights (local grants and appointments) as permission entries.

        Two queries for a user with no grants of their own, four otherwise."""
        content_type = page_content_type()
        grants = list(
            UserObjectPermission.objects.filter(
                user=user,
                content_type=content_type,
                permission__content_type=content_type,
                permission__codename__in=ADMIN_CODENAMES,
            ).select_related("permission")
        )
        unit_ids = set(appointed_unit_ids(user, today or clock.today()))
        page_ids = {int(grant.object_pk) for grant in grants} | unit_ids
        if not page_ids:
            return []
        pages = {
            page.pk: page for page in self.model.base_page_model.objects.filter(pk__in=page_ids)
        }
        entries = [
            UserPagePermission(pages[int(grant.object_pk)], grant.permission, "local")
            for grant in grants
            if int(grant.object_pk) in pages
        ]
        if unit_ids:
            editor = list(
                Permission.objects.filter(content_type=content_type, codename__in=EDITOR.codenames)
            )
            for unit_id in sorted(unit_ids & set(pages)):
                entries.extend(
                    UserPagePermission(pages[unit_id], perm, "appointment") for perm in editor
                )
        return entries

    # --- Who holds a permission (workflow notifications, reports ...) -------

    def _local_user_q(self, codenames, pages=None):
        content_type = page_content_type()
        grants = UserObjectPermission.objects.filter(
            content_type=content_type, permission__codename__in=codenames
        )
        if pages is not None:
            grants = grants.filter(object_pk__in=[str(page.pk) for page in pages])
        q = Q(pk__in=grants.values("user_id"))
        if set(codenames) & EDITOR.codenames:
            from .models import Appointment

            appointments = Appointment.objects.in_term(clock.today())
            if pages is not None:
                page_ids = [page.pk for page in pages]
                appointments = appointments.filter(
                    Q(assigned_units__in=page_ids)
                    | Q(assigned_units__isnull=True, source_unit__in=page_ids)
                )
            q |= Q(pk__in=appointments.values("user_id"))
        return q

    def users_with_any_permission(self, actions, include_superusers=True):
        actions = set(actions)
        if "change" in actions:
            actions.add("add")
        codenames = self._get_permission_codenames(actions)
        extra = get_user_model()._default_manager.filter(is_active=True)
        extra = extra.filter(self._local_user_q(codenames))
        base = super().users_with_any_permission(actions, include_superusers)
        return get_user_model()._default_manager.filter(
            Q(pk__in=base.values("pk")) | Q(pk__in=extra.values("pk"))
        )

    def users_with_any_permission_for_instance(self, actions, instance, include_superusers=True):
        codenames = self._get_permission_codenames(actions)
        ancestors = list(instance.get_ancestors(inclusive=True))
        extra = get_user_model()._default_manager.filter(is_active=True)
        extra = extra.filter(self._local_user_q(codenames, ancestors))
        base = super().users_with_any_permission_for_instance(actions, instance, include_superusers)
        return get_user_model()._default_manager.filter(
            Q(pk__in=base.values("pk")) | Q(pk__in=extra.values("pk"))
        )

    # --- Fewer, smaller queries than OR-ing one subtree per grant -----------

    def instances_user_has_any_permission_for(self, user, actions):
        base_queryset = self._base_queryset_for_user(user)
        if base_queryset is not None:
            return base_queryset
        wanted = self._get_permission_codenames(actions)
        add_codename = self._get_permission_codename("add")
        owned_only = "add" not in actions and "change" in actions
        full, owned = set(), set()
        for perm in self.get_cached_permissions_for_user(user):
            codename = perm.permission.codename
            if codename == add_codename and owned_only:
                owned.add(perm.page.path)
            elif codename in wanted:
                full.add(perm.page.path)
        manager = self.model._default_manager
        q = _subtrees_q(full, manager)
        owned_q = _subtrees_q(owned - full, manager)
        if owned_q is not None:
            owned_q &= Q(owner=user)
            q = owned_q if q is None else q | owned_q
        return manager.none() if q is None else manager.filter(q)

    def explorable_instances(self, user):
        """Wagtail's rule (pages with rights, plus their ancestors, under the first common
        ancestor) in one flat query: ancestors are listed by path, not OR-ed per grant,
        which SQLite refuses past a few hundred grants.

        Subtrees under a page whose type sets ``hidden_from_explorer = True`` (the recycle
        bin) are left out, for superusers too: the explorer, the page chooser and the
        admin's page search all ask this one method what may be browsed."""
        return _without_hidden_subtrees(self._explorable_instances(user))

    def visible_instances(self, user):
        """What the admin may show ``user`` of the tree (titles in the page chooser ...):
        the pages they may browse (``explorable_instances``) plus what is live and public
        anyway. Another unit's draft, or a page behind a view restriction, is neither."""
        from wagtail.models import PageViewRestriction

        explorable = self.explorable_instances(user)
        if user.is_active and user.is_superuser:
            return explorable
        restricted = list(
            PageViewRestriction.objects.values_list("page__path", flat=True).distinct()
        )
        public = self.model._default_manager.filter(live=True, depth__gt=1)
        if restricted:
            public = public.exclude(_or_startswith(restricted))
        return _without_hidden_subtrees(
            self.model._default_manager.filter(
                Q(pk__in=explorable.values("pk")) | Q(pk__in=public.values("pk"))
            )
        )

    def _explorable_instances(self, user):
        base_queryset = self._base_queryset_for_user(user)
        if base_queryset is not None:
            return base_queryset
        explorable = self.instances_user_has_any_permission_for(
            user, {"add", "change", "publish", "lock", "unlock", "bulk_delete"}
        )
        granted_pages = [perm.page for perm in self.get_cached_permissions_for_user(user)]
        steplen = self.model.base_page_model.steplen
        ancestor_paths = {
            page.path[:end]
            for page in granted_pages
            for end in range(steplen, len(page.path), steplen)
        }
        if ancestor_paths:
            explorable = explorable | self.model._default_manager.filter(path__in=ancestor_paths)
        common = self.model.base_page_model.objects.first_common_ancestor_of(granted_pages)
        return explorable.filter(path__startswith=common.path)


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


def limit_chooser_to_visible(pages, request):
    """``construct_page_chooser_queryset``: the chooser lists only what the user may see
    (Wagtail's chooser lists every page, drafts of other units included)."""
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(pages.model)
    if not hasattr(policy, "visible_instances"):
        return pages
    return pages.filter(pk__in=policy.visible_instances(request.user).values("pk"))


def _hidden_content_types():
    from wagtail.models import get_page_models

    models = [m for m in get_page_models() if getattr(m, "hidden_from_explorer", False)]
    return list(ContentType.objects.get_for_models(*models).values()) if models else []


def _without_hidden_subtrees(queryset):
    content_types = _hidden_content_types()
    if not content_types:
        return queryset
    paths = list(
        queryset.model._default_manager.filter(content_type__in=content_types).values_list(
            "path", flat=True
        )
    )
    return queryset.exclude(_or_startswith(paths)) if paths else queryset


#: SQLite refuses SQL expressions nested deeper than 1000; OR-chains count one per term.
OR_CHUNK = 300


def _subtrees_q(paths, manager=None):
    """One ``Q`` matching every page in the subtrees rooted at ``paths``.

    Nested roots are dropped (a grant covers its descendants). Past ``OR_CHUNK``
    roots the terms go into subqueries of ``OR_CHUNK`` each, so thousands of grants
    still make one query that SQLite accepts."""
    kept = []
    for path in sorted(paths):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    if not kept:
        return None
    chunks = [kept[i : i + OR_CHUNK] for i in range(0, len(kept), OR_CHUNK)]
    terms = [_or_startswith(chunk) for chunk in chunks]
    if len(terms) == 1:
        return terms[0]
    if manager is None:
        from wagtail.models import Page

        manager = Page.objects
    q = Q()
    for term in terms:
        q |= Q(pk__in=manager.filter(term).values("pk"))
    return q


def _or_startswith(paths):
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return q
