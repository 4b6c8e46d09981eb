"""Records that are not pages: one "may this user see this record" decision per model.

A record (an appointment, a need, a registration, an annual report ...) is shown by
many views: its list, its export, its edit, inspect and history views, the choosers of
other records' forms. Each record admin's permission helper decides once, in
``records_for_user`` (the records a user may see, as a queryset) and
``user_can_view_obj`` (the same question for one record), and every view asks it:
``RecordAdmin`` scopes the list and the export through the first and guards the
history view with the second (wagtail-modeladmin's own ``HistoryView`` asks nothing,
which is how another unit's records leaked through ``/history/<id>/``); the inspect view
asks it through ``user_can_inspect_obj``. Issue 17 will turn these helpers into record
permission policies under Wagtail's names (``instances_user_has_permission_for`` and
``user_has_permission_for_instance``): the two methods here are those two questions.

``UnitRecordPermissionHelper`` is the common case: holders of the model-wide Django
permissions (the appointment managers ...) act on every record; everyone else sees only
the records of units whose pages they may edit through the page policy (guardian grants
and appointments in term), and a direct URL to any other record answers 403.
"""

from django.db.models import Q
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.views import HistoryView

from gongjian_site.modeladmin import SafeModelAdmin


def editable_pages(user, actions=("change",)):
    """Pages ``user`` may act on, as a queryset usable in a subquery."""
    return policy_registry.get_by_type(Page).instances_user_has_any_permission_for(
        user, set(actions)
    )


class RecordPermissionHelper(PermissionHelper):
    """Base of every record admin's helper: the two "who may see what" questions."""

    def records_for_user(self, user, queryset):
        """The records of ``queryset`` that ``user`` may see (lists, exports, choosers)."""
        raise NotImplementedError(f"{type(self).__name__} must decide records_for_user")

    def user_can_view_obj(self, user, obj):
        """Whether ``user`` may see ``obj`` at all: in its list, history, inspect view.

        The same decision as the list's, asked about one record; subclasses may answer
        from the record's fields when that needs no query."""
        if not user.is_active or not self.user_can_list(user):
            return False
        return self.records_for_user(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()

    def user_can_inspect_obj(self, user, obj):
        return self.inspect_view_enabled and self.user_can_view_obj(user, obj)


class RecordHistoryView(HistoryView):
    """wagtail-modeladmin's history view, asking the record's view permission first."""

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_view_obj(user, self.instance)


class RecordAdmin(SafeModelAdmin):
    """Base of every record admin: the list (and its export) shows ``records_for_user``
    and applies only its declared filters (unknown query parameters are ignored, see
    gongjian_site.modeladmin),
    and every object view asks the helper (edit, delete and inspect already do in
    wagtail-modeladmin; history does through ``RecordHistoryView``)."""

    permission_helper_class = None  # a RecordPermissionHelper, required
    history_view_class = RecordHistoryView

    def __init__(self, parent=None):
        super().__init__(parent)
        if not isinstance(self.permission_helper, RecordPermissionHelper):
            raise TypeError(
                f"{type(self).__name__}: a record admin needs a RecordPermissionHelper, "
                f"not {type(self.permission_helper).__name__}"
            )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return self.permission_helper.records_for_user(request.user, queryset)


class UnitRecordPermissionHelper(RecordPermissionHelper):
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
