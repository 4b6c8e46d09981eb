"""Records that are not pages, scoped by the pages their user may edit.

A record (an appointment now; claims, commitments, registrations later) names the
unit pages it belongs to. Holders of the model-wide Django permissions (the
appointment managers) act on every record; everyone else sees only the records of
units whose pages they may edit through the page policy (guardian grants and
appointments in term), and a direct URL to any other record answers 403.
Later plugins reuse this by subclassing ``UnitRecordPermissionHelper`` and
setting ``unit_fields``.
"""

from django.db.models import Q
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtail_modeladmin.helpers import PermissionHelper


def editable_pages(user, actions=("change",)):
    """Pages ``user`` may act on, as a queryset usable in a subquery."""
    return policy_registry.get_by_type(Page).instances_user_has_any_permission_for(
        user, set(actions)
    )


class UnitRecordPermissionHelper(PermissionHelper):
    #: Names of the record's foreign keys / many-to-many fields to unit pages.
    unit_fields = ()

    def records_for_user(self, user, queryset):
        if not user.is_active:
            return queryset.none()
        if user.is_superuser or self.user_has_any_permissions(user):
            return queryset
        page_ids = editable_pages(user).values("pk")
        q = Q()
        for field in self.unit_fields:
            q |= Q(**{f"{field}__in": page_ids})
        return queryset.filter(q).distinct()

    def user_can_list(self, user):
        if self.user_has_any_permissions(user):
            return True
        policy = policy_registry.get_by_type(Page)
        return user.is_active and any(
            getattr(perm, "source", None) for perm in policy.get_cached_permissions_for_user(user)
        )

    def user_can_inspect_obj(self, user, obj):
        if not self.inspect_view_enabled:
            return False
        return self.records_for_user(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
