"""Who may see and change evaluation records.

Managers (the 考核评价管理 group of this plugin's profile, i.e. the district
organisation department, and superusers) act on every record. Everyone else acts
on the records of the organisation pages they may edit through the page policy
(local roles and appointments in term, see plugins/access): a street secretary sets
her street's weights and fills its monthly reports, a community secretary runs the
rating rounds of her committee, a member writes only their own annual reports.
"""

from django.db.models import Q

from plugins.access.records import RecordPermissionHelper, editable_pages

MANAGERS_GROUP = "考核评价管理"


def is_manager(user):
    return user.is_active and (user.is_superuser or user.has_perm("evaluation.change_ratinground"))


def can_edit_page(user, page):
    if not user.is_active:
        return False
    return user.is_superuser or page.permissions_for_user(user).can_edit()


class PageScopedPermissionHelper(RecordPermissionHelper):
    """Managers: everything. Others: records whose ``page_field`` is a page they may edit.

    ``records_for_user`` is the one decision of what a user sees (list, history,
    inspect: ``user_can_view_obj`` of the base asks it about one record)."""

    page_field = None
    #: The page type the records hang on (a street's weights ...): only its editors create.
    page_model = None

    def records_for_user(self, user, queryset):
        if is_manager(user):
            return queryset
        if not user.is_active:
            return queryset.none()
        return queryset.filter(**{f"{self.page_field}__in": editable_pages(user).values("pk")})

    def _has_any_page(self, user):
        pages = editable_pages(user)
        if self.page_model is not None:
            pages = pages.type(self.page_model)
        return user.is_active and pages.exists()

    def _remembered_has_any_page(self, user):
        """Asked by every menu item and list on each admin request: the answer is kept
        on the request's user object, so the admin menu costs one query per kind."""
        memo = user.__dict__.setdefault("_evaluation_has_any_page", {})
        key = (type(self), self.page_model)
        if key not in memo:
            memo[key] = self._has_any_page(user)
        return memo[key]

    def user_can_list(self, user):
        return is_manager(user) or self._remembered_has_any_page(user)

    def user_can_create(self, user):
        return is_manager(user) or self._remembered_has_any_page(user)

    def _owns(self, user, obj):
        return self.records_for_user(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()

    def user_can_view_obj(self, user, obj):
        return is_manager(user) or (self.user_can_list(user) and self._owns(user, obj))

    def user_can_edit_obj(self, user, obj):
        return is_manager(user) or self._owns(user, obj)

    def user_can_delete_obj(self, user, obj):
        return is_manager(user) or self._owns(user, obj)


class ReportPermissionHelper(PageScopedPermissionHelper):
    """A member writes and sees their own reports; the committee's editors see them too."""

    page_field = "committee"

    def records_for_user(self, user, queryset):
        if is_manager(user):
            return queryset
        if not user.is_active:
            return queryset.none()
        return queryset.filter(
            Q(user=user) | Q(committee__in=editable_pages(user).values("pk"))
        ).distinct()

    def _has_any_page(self, user):
        return user.is_active and (user.appointments.exists() or editable_pages(user).exists())


def limit_pages(field, user, queryset):
    """Restrict a page choice field to the pages ``user`` may edit (managers: all)."""
    if user is None or is_manager(user):
        field.queryset = queryset
    else:
        field.queryset = queryset.filter(pk__in=editable_pages(user).values("pk"))
