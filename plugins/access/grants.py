"""Granting and revoking local roles: the only code that writes guardian page grants.

Grants are always stored against the base ``wagtailcore.Page`` row (guardian keys
object permissions by content type, and Wagtail's page permissions belong to
``Page``), so a grant on a ``ResidentUnitPage`` and on its ``Page`` are the same.
Every change is written to Wagtail's audit log on the page.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.db import transaction
from guardian.models import UserObjectPermission
from wagtail.log_actions import log

from gongjian_site import clock

from .policy import page_content_type
from .roles import ALL_CODENAMES, READER, REVIEWER, ROLES, roles_for_codenames


def _page_permissions(codenames):
    return Permission.objects.filter(content_type=page_content_type(), codename__in=codenames)


def local_codenames(user, page):
    """Codenames granted to ``user`` on ``page`` itself (not inherited)."""
    return set(
        UserObjectPermission.objects.filter(
            user=user,
            content_type=page_content_type(),
            object_pk=str(page.pk),
            permission__codename__in=ALL_CODENAMES,
        ).values_list("permission__codename", flat=True)
    )


def local_roles(user, page):
    return roles_for_codenames(local_codenames(user, page))


@transaction.atomic
def grant_role(page, user, role_key, by=None):
    """Give ``user`` the role on ``page`` (and so on its descendants). Idempotent."""
    role = ROLES[role_key]
    held = local_codenames(user, page)
    missing = _page_permissions(role.codenames - held)
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(
                user=user,
                permission=permission,
                content_type=page_content_type(),
                object_pk=str(page.pk),
            )
            for permission in missing
        ]
    )
    if role not in roles_for_codenames(held):
        log(instance=page, action="gongjian.grant_role", user=by, data=_log_data(user, role))
    _forget_cache(user)


@transaction.atomic
def revoke_role(page, user, role_key, by=None):
    """Take the local role away on ``page``; codenames other held roles need are kept."""
    role = ROLES[role_key]
    held = local_codenames(user, page)
    if role not in roles_for_codenames(held):
        return False
    still_needed = set()
    for other in roles_for_codenames(held):
        if other is not role:
            still_needed |= other.codenames
    UserObjectPermission.objects.filter(
        user=user,
        content_type=page_content_type(),
        object_pk=str(page.pk),
        permission__codename__in=role.codenames - still_needed,
    ).delete()
    log(instance=page, action="gongjian.revoke_role", user=by, data=_log_data(user, role))
    _forget_cache(user)
    return True


def _log_data(user, role):
    return {
        "role": role.key,
        "role_label": str(role.label),
        "user_id": user.pk,
        "username": user.get_username(),
        "date": clock.today().isoformat(),
    }


def _forget_cache(user):
    """Drop the per-request permission cache Wagtail keeps on the user object."""
    for name in ("_page_permission_cache", "_explorable_root_page_cache"):
        if hasattr(user, name):
            delattr(user, name)


@dataclass
class Holding:
    """One user's roles at a page, as the 共享 view shows them."""

    user: object
    local: list = field(default_factory=list)
    inherited: list = field(default_factory=list)  # (role, page it was granted on)
    appointments: list = field(default_factory=list)  # (appointment, unit page)


def holdings(page):
    """Who holds which role at ``page``: granted here, inherited, or from an appointment."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from .models import Appointment

    ancestors = {p.pk: p for p in page.get_ancestors(inclusive=True).filter(depth__gt=1)}
    rows = UserObjectPermission.objects.filter(
        content_type=page_content_type(),
        object_pk__in=[str(pk) for pk in ancestors],
        permission__codename__in=ALL_CODENAMES,
    ).values_list("user_id", "object_pk", "permission__codename")
    codenames = {}
    for user_id, object_pk, codename in rows:
        codenames.setdefault((user_id, int(object_pk)), set()).add(codename)
    appointments = (
        Appointment.objects.in_term(clock.today())
        .filter(
            Q(assigned_units__in=list(ancestors))
            | Q(assigned_units__isnull=True, source_unit__in=list(ancestors))
        )
        .distinct()
        .select_related("user", "committee", "source_unit")
        .prefetch_related("assigned_units")
    )
    user_ids = {user_id for user_id, _pk in codenames} | {a.user_id for a in appointments}
    users = get_user_model()._default_manager.in_bulk(user_ids)
    result = {}
    for (user_id, page_pk), held in sorted(
        codenames.items(), key=lambda kv: -ancestors[kv[0][1]].depth
    ):
        holding = result.setdefault(user_id, Holding(users[user_id]))
        for role in roles_for_codenames(held):
            if page_pk == page.pk:
                holding.local.append(role)
            else:
                holding.inherited.append((role, ancestors[page_pk]))
    for appointment in appointments:
        holding = result.setdefault(appointment.user_id, Holding(users[appointment.user_id]))
        for unit in appointment.units():
            if unit.pk in ancestors:
                holding.appointments.append((appointment, unit))
    return sorted(result.values(), key=lambda h: h.user.get_username())


def reviewers_of(page):
    """Active users holding the Reviewer role on ``page`` or an ancestor (the secretary).

    Nearest grant first, so the committee's own secretary comes before district staff."""
    from django.contrib.auth import get_user_model

    ancestors = list(page.get_ancestors(inclusive=True).filter(depth__gt=1).order_by("-depth"))
    rows = UserObjectPermission.objects.filter(
        content_type=page_content_type(),
        object_pk__in=[str(p.pk) for p in ancestors],
        permission__codename__in=REVIEWER.codenames,
    ).values_list("user_id", "object_pk", "permission__codename")
    held = {}
    for user_id, object_pk, codename in rows:
        held.setdefault((user_id, object_pk), set()).add(codename)
    order = {str(p.pk): index for index, p in enumerate(ancestors)}
    ranked = sorted(
        ((order[object_pk], user_id) for (user_id, object_pk), codenames in held.items()
         if REVIEWER.codenames <= codenames)
    )  # fmt: skip
    users = (
        get_user_model()
        ._default_manager.filter(is_active=True)
        .in_bulk([user_id for _rank, user_id in ranked])
    )
    seen, result = set(), []
    for _rank, user_id in ranked:
        if user_id in users and user_id not in seen:
            seen.add(user_id)
            result.append(users[user_id])
    return result


def holds_reader(user, page):
    """Whether ``user`` holds the Reader role (查看) on ``page`` or an ancestor."""
    if not user.is_authenticated or not user.is_active:
        return False
    ancestor_ids = page.get_ancestors(inclusive=True).values_list("pk", flat=True)
    return UserObjectPermission.objects.filter(
        user=user,
        content_type=page_content_type(),
        permission__codename__in=READER.codenames,
        object_pk__in=[str(pk) for pk in ancestor_ids],
    ).exists()
