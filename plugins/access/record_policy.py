"""Record permission policies: one per record model, in Wagtail's vocabulary.

Records that are not pages (appointments, registrations, the three lists, annual
reports ...) are shown by many views: their list and export, edit, inspect and history
views, choosers, menus and each plugin's own actions (免职, 认领, 评诺 ...). Every one of
them asks the model's policy, registered with ``wagtail.permissions.register_permission_policy``
exactly as the page policy is, under Wagtail's own method names
(``user_has_permission``, ``user_has_permission_for_instance``,
``instances_user_has_permission_for``, ``users_with_permission_for_instance``), so no
view can forget to ask: the modeladmin wiring in ``record_admin`` asks for them.

Why one base: each plugin used to keep its own rules and its own per-user cache, and
"manager" meant a different model permission in each; a view that forgot one of them
leaked another unit's history. Here every decision has the same two sources:

* model-wide Django permissions, as in Wagtail's ``ModelPermissionPolicy``: holding
  ``<app>.change_<model>`` (a plugin's managers group) allows ``change`` on every record
  of that model; ``view`` is allowed by ``view_`` or ``change_``; superusers hold all;
* the organisation tree, through the page policy: a subclass declares, per action, the
  ``Reach``es of its records: the lookup path from a record to an organisation page and
  the page right that counts there. ``("community", "publish")``: whoever may publish
  the record's community page (its secretary) manages it; ``("unit", ACT_FOR)``: the
  part-time members and liaisons of the record's unit act on it.

What the user holds in the tree is read once per request (``OrganisationScope``, a few
queries whatever the number of grants, cached on the user object), so a list asks each
row without a query, and the list's queryset is one query with id lists.
"""

from dataclasses import dataclass

from django.contrib.auth import get_permission_codename, get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

#: Page right of "the unit's side": part-time members, liaisons and Editors of a unit
#: page, but not the secretary of the community above it (who is the other side).
ACT_FOR = "act_for"
#: Not a page right: the record's ``path`` is a user foreign key and the user is it
#: (a member's own annual reports).
OWN = "own"

SCOPE_CACHE = "_record_scope"


@dataclass(frozen=True)
class Reach:
    """How a record reaches an organisation page, and the page right that counts there.

    ``path``: Django lookup from the record to the page (``"community"``,
    ``"commitment__unit"``); ``None`` means "holding that right on any such page" (a
    unit's people read every moderated need). ``many``: the path crosses a
    many-valued relation, so a single record is answered by one query. ``page_type``
    limits the pages that count (a street's weights: street pages). ``where``: a field
    and the values it must have for this reach to apply (public needs only). ``above``:
    the right counts on the reached page's ancestor of ``page_type`` (a street's monthly
    report is reviewed by its district)."""

    path: str | None
    page_action: str
    many: bool = False
    page_type: type | None = None
    where: tuple | None = None
    above: bool = False

    def where_q(self):
        if self.where is None:
            return Q()
        field, values = self.where
        return Q(**{f"{field}__in": list(values)})

    def where_holds(self, instance):
        if self.where is None:
            return True
        field, values = self.where
        return getattr(instance, field) in values


class OrganisationScope:
    """The organisation pages a user holds rights on, read once per request.

    ``ids(page_action, page_type)`` answers from three queries at most (the page
    policy's own grants are cached on the user by Wagtail): the organisation pages the
    user may edit, those they may publish, and their appointments in term."""

    def __init__(self, user):
        self.user = user
        self._pages = {}

    def _pages_for(self, page_action):
        """{page id: (content type id, path)} of organisation pages with ``page_action``."""
        if page_action in self._pages:
            return self._pages[page_action]
        from wagtail.models import Page
        from wagtail.permissions import policy_registry

        from plugins.orgs.models import OrganisationPage

        if page_action == ACT_FOR:
            pages = self._unit_side()
        else:
            allowed = policy_registry.get_by_type(Page).instances_user_has_any_permission_for(
                self.user, {page_action}
            )
            pages = {
                pk: (ct, path)
                for pk, ct, path in OrganisationPage.objects.filter(pk__in=allowed.values("pk"))
                .values_list("pk", "content_type_id", "path")
            }  # fmt: skip
        self._pages[page_action] = pages
        return pages

    def _unit_side(self):
        from django.contrib.contenttypes.models import ContentType

        from plugins.orgs.models import CommunityPage, ResidentUnitPage

        from .policy import appointed_unit_ids

        unit_ct = ContentType.objects.get_for_model(ResidentUnitPage).pk
        community_ct = ContentType.objects.get_for_model(CommunityPage).pk
        managed = [path for ct, path in self._pages_for("publish").values() if ct == community_ct]
        units = {
            pk: value
            for pk, value in self._pages_for("change").items()
            if value[0] == unit_ct and not any(value[1].startswith(p) for p in managed)
        }
        appointed = ResidentUnitPage.objects.filter(pk__in=appointed_unit_ids(self.user))
        for pk, path in appointed.exclude(pk__in=list(units)).values_list("pk", "path"):
            units[pk] = (unit_ct, path)
        return units

    def paths(self, page_action, page_type=None):
        ids = self.ids(page_action, page_type)
        pages = self._pages_for(page_action)
        return sorted(pages[pk][1] for pk in ids)

    def owns(self, model, path):
        """Whether the user is the ``path`` user of some ``model`` record (one query,
        remembered for the request)."""
        key = (OWN, model, path)
        if key not in self._pages:
            self._pages[key] = model._default_manager.filter(**{path: self.user.pk}).exists()
        return self._pages[key]

    def ids(self, page_action, page_type=None):
        pages = self._pages_for(page_action)
        if page_type is None:
            return frozenset(pages)
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(page_type).pk
        return frozenset(pk for pk, (page_ct, _path) in pages.items() if page_ct == ct)


def scope_of(user):
    """The user's ``OrganisationScope`` (one per user object, i.e. per request)."""
    scope = user.__dict__.get(SCOPE_CACHE)
    if scope is None:
        scope = user.__dict__[SCOPE_CACHE] = OrganisationScope(user)
    return scope


def forget_scope(user):
    """Drop the cached scope (after a grant or appointment changed within a request)."""
    user.__dict__.pop(SCOPE_CACHE, None)


def _follow_object(instance, path):
    for hop in path.split("__"):
        instance = getattr(instance, hop)
        if instance is None:
            return None
    return instance


def _follow(instance, path):
    """The id at the end of ``path`` (``commitment__community`` → commitment.community_id)."""
    *hops, last = path.split("__")
    for hop in hops:
        instance = getattr(instance, hop)
        if instance is None:
            return None
    return getattr(instance, f"{last}_id")


class RecordPermissionPolicy(BasePermissionPolicy):
    """A record model's one policy; subclasses declare ``reaches`` (see the module doc).

    ``reaches``: {action: (Reach, ...)}; an action absent from it is model-wide only.
    ``action_permissions``: the model permission whose holders may do a plugin action
    everywhere ({"remove": "change"}); an unlisted custom action needs ``change``.
    ``allows(user, action, instance)``: the record's own state, asked of everyone,
    superusers too (a closed rating round is not edited, a removed appointment not
    removed again)."""

    reaches = {}
    action_permissions = {}

    def __init__(self, model=None):
        super().__init__(model if model is not None else self.model_name)

    model_name = None  # "app_label.ModelName", for a subclass that names its model

    # --- Model-wide rights (Django permissions, as ModelPermissionPolicy) -----------

    def _codenames(self, action):
        base = self.action_permissions.get(action, action)
        if base not in ("view", "add", "change", "delete"):
            base = "change"
        names = [get_permission_codename(base, self.model._meta)]
        if base == "view":
            names.append(get_permission_codename("change", self.model._meta))
        return names

    def user_has_model_permission(self, user, action):
        """Whether ``user`` may do ``action`` on every record of the model."""
        if not user.is_active:
            return False
        if user.is_superuser:
            return True
        label = self.model._meta.app_label
        return any(user.has_perm(f"{label}.{name}") for name in self._codenames(action))

    # --- Wagtail's vocabulary -----------------------------------------------------

    def user_has_permission(self, user, action):
        """Whether ``user`` may do ``action`` on some record (menus, list, add buttons)."""
        if not user.is_active:
            return False
        if self.user_has_model_permission(user, action):
            return True
        scope = scope_of(user)
        return any(self._reach_held(scope, reach) for reach in self.reaches.get(action, ()))

    def _reach_held(self, scope, reach):
        """Whether the user holds ``reach``'s right anywhere (on some page, some record)."""
        if reach.page_action == OWN:
            return scope.owns(self.model, reach.path)
        return bool(scope.ids(reach.page_action, reach.page_type))

    def user_has_permission_for_page(self, user, action, page):
        """Whether ``user`` may do ``action`` on a record (to be) filed under ``page``
        by one of the action's single-valued reaches (may they add a monthly report for
        this street, file a need under this community)."""
        if self.user_has_model_permission(user, action):
            return True
        if not user.is_active:
            return False
        scope = scope_of(user)
        for reach in self.reaches.get(action, ()):
            if reach.path is None or reach.many or reach.page_action == OWN:
                continue
            if reach.above:
                if any(
                    page.path.startswith(p) for p in scope.paths(reach.page_action, reach.page_type)
                ):
                    return True
            elif page.pk in scope.ids(reach.page_action, reach.page_type):
                return True
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def allows(self, user, action, instance):
        return True

    def user_has_permission_for_instance(self, user, action, instance):
        if not user.is_active or not self.allows(user, action, instance):
            return False
        if self.user_has_model_permission(user, action):
            return True
        scope = scope_of(user)
        many = False
        for reach in self.reaches.get(action, ()):
            if not reach.where_holds(instance):
                continue
            if reach.page_action == OWN:
                if _follow(instance, reach.path) == user.pk:
                    return True
                continue
            ids = scope.ids(reach.page_action, reach.page_type)
            if not ids:
                continue
            if reach.path is None:
                return True
            if reach.many:
                many = True
            elif reach.above:
                page = _follow_object(instance, reach.path)
                if page is not None and any(
                    page.path.startswith(p) for p in scope.paths(reach.page_action, reach.page_type)
                ):
                    return True
            elif _follow(instance, reach.path) in ids:
                return True
        if many:
            return self.instances_user_has_permission_for(user, action).filter(
                pk=instance.pk
            ).exists()  # fmt: skip
        return False

    def scope_q(self, user, actions):
        """The ``Q`` of the records ``user`` reaches for any of ``actions`` through the
        tree; ``None`` when the user may act on every record."""
        if any(self.user_has_model_permission(user, action) for action in actions):
            return None
        scope = scope_of(user)
        q = Q(pk__in=[])
        for action in actions:
            for reach in self.reaches.get(action, ()):
                if reach.page_action == OWN:
                    q |= reach.where_q() & Q(**{reach.path: user.pk})
                    continue
                ids = scope.ids(reach.page_action, reach.page_type)
                if not ids:
                    continue
                term = reach.where_q()
                if reach.above:
                    below = Q(pk__in=[])
                    for path in scope.paths(reach.page_action, reach.page_type):
                        below |= Q(**{f"{reach.path}__path__startswith": path})
                    term &= below
                elif reach.path is not None:
                    term &= Q(**{f"{reach.path}__in": sorted(ids)})
                q |= term
        return q

    def filter_instances(self, user, actions, queryset):
        """``queryset`` narrowed to the records ``user`` may do any of ``actions`` on.

        Records reached through many-valued relations are matched in a pk subquery,
        so the caller's queryset gets no DISTINCT (which would upset its counts)."""
        if not user.is_active:
            return queryset.none()
        q = self.scope_q(user, actions)
        if q is None:
            return queryset
        if any(r.many for a in actions for r in self.reaches.get(a, ())):
            return queryset.filter(pk__in=self.model._default_manager.filter(q).values("pk"))
        return queryset.filter(q)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.filter_instances(user, list(actions), self.model._default_manager.all())

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def users_with_any_permission(self, actions):
        """Active users who may do any of ``actions`` on some record: superusers, model
        permission holders and the holders of the reached page rights."""
        users = get_user_model()._default_manager.filter(is_active=True)
        q = Q(is_superuser=True)
        for action in actions:
            for name in self._codenames(action):
                perm = Q(codename=name, content_type__app_label=self.model._meta.app_label)
                q |= Q(user_permissions__in=_permissions(perm))
                q |= Q(groups__permissions__in=_permissions(perm))
        return users.filter(pk__in=users.filter(q).values("pk"))

    def users_with_any_permission_for_instance(self, actions, instance):
        """Those of ``users_with_any_permission`` and those whom the tree gives
        ``actions`` on ``instance`` (asked user by user among the page's right holders,
        so the answer agrees with ``user_has_permission_for_instance``)."""
        from wagtail.models import Page
        from wagtail.permissions import policy_registry

        base = list(self.users_with_any_permission(actions))
        page_policy = policy_registry.get_by_type(Page)
        candidates = set()
        for action in actions:
            for reach in self.reaches.get(action, ()):
                if reach.page_action == OWN:
                    owner = _follow(instance, reach.path)
                    if owner is not None:
                        candidates |= set(get_user_model()._default_manager.filter(pk=owner))
                    continue
                if reach.path is None or reach.many or reach.above:
                    continue
                page_id = _follow(instance, reach.path)
                page = Page.objects.filter(pk=page_id).first() if page_id else None
                if page is not None:
                    rights = {"change"} if reach.page_action == ACT_FOR else {reach.page_action}
                    candidates |= set(
                        page_policy.users_with_any_permission_for_instance(rights, page)
                    )
        extra = [
            u.pk for u in candidates - set(base)
            if self.user_has_any_permission_for_instance(u, actions, instance)
        ]  # fmt: skip
        return get_user_model()._default_manager.filter(pk__in=[u.pk for u in base] + extra)


def _permissions(q):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(q)


def record_policy(model):
    """The registered record policy of ``model`` (refuses a model without one: a record
    admin must never fall back to Wagtail's model-wide policy)."""
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(model, fallback=False)
    if not isinstance(policy, RecordPermissionPolicy):
        raise ImproperlyConfigured(f"{model._meta.label} has no record permission policy")
    return policy


def register_record_policies(*policies):
    """Register each policy for its model (idempotent). Called at the top of the plugin's
    ``wagtail_hooks``, before its admins are built: Wagtail loads every hooks module at
    start-up (``wagtail.snippets`` does in its ``ready``), and nothing asks a record
    model's policy earlier (``record_policy`` never makes Wagtail's fallback policy)."""
    from wagtail.permissions import policy_registry, register_permission_policy

    for policy in policies:
        if policy_registry.get_by_type(policy.model, fallback=False) is not policy:
            register_permission_policy(policy.model, policy)
