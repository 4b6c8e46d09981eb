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

Publishing follows the workflow: that rule (``publish_reserved_step`` and the page
permission tester) lives in ``publishing``; the page-tree filters the querysets below
are built from live in ``subtrees``.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from guardian.models import UserObjectPermission
from wagtail.permission_policies.pages import PagePermissionPolicy

from gongjian_site import clock
from plugins.orgs.models import ResidentUnitPage

from .publishing import WorkflowPublishingMixin
from .roles import ADMIN_CODENAMES, EDITOR
from .subtrees import _or_startswith, _subtrees_q, _without_hidden_subtrees


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


class LocalRolePagePermissionPolicy(WorkflowPublishingMixin, PagePermissionPolicy):
    """Wagtail's page policy, extended by guardian grants and appointments, with publishing
    held back to the workflow's last step (``WorkflowPublishingMixin``)."""

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


def limit_chooser_to_visible(pages, request):
    """``construct_page_chooser_queryset``: the chooser lists only what the user may see
    (Wagtail's chooser lists every page, drafts of other units included)."""
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(pages.model)
    if not hasattr(policy, "visible_instances"):
        return pages
    return pages.filter(pk__in=policy.visible_instances(request.user).values("pk"))
