"""wagtail-modeladmin, asking the record's permission policy in every view.

A record admin derives from ``RecordAdmin``: its permission helper answers from the
model's registered policy (``record_policy.record_policy``), so the list, its export,
the add button, the edit, delete, inspect and history views, the admin URL finder and
the menu item (modeladmin's ``is_shown`` asks ``user_can_list``) all ask the same
object. wagtail-modeladmin's own history view asks nothing (how another unit's
history leaked), so ``RecordHistoryView`` asks ``view``.

A plugin's own actions on a record (免职, 认领, 评诺 ...) are ``RecordAction``s of its
admin: URLs of that admin (``<app>/<model>/<action>/<pk>/``, named like modeladmin's
own, ``<app>_<model>_modeladmin_<action>``), their buttons added by the admin's button
helper when the policy allows them. The action view receives the record already
checked: a record the user may not see answers 404, one they see but may not act on
403, before the view runs. So no action view finds its way back by building an admin
per request: it is given ``model_admin``.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import re_path
from django.utils.functional import cached_property
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.views import HistoryView

from gongjian_site.modeladmin import SafeModelAdmin

from .record_policy import record_policy


class PolicyPermissionHelper(PermissionHelper):
    """modeladmin's questions, each answered by the model's record policy."""

    @cached_property
    def policy(self):
        return record_policy(self.model)

    def user_can(self, user, action, obj=None):
        if obj is None:
            return self.policy.user_has_permission(user, action)
        return self.policy.user_has_permission_for_instance(user, action, obj)

    def records_for_user(self, user, queryset):
        """The records of ``queryset`` ``user`` may see (lists, exports, choosers)."""
        return self.policy.filter_instances(user, ["view"], queryset)

    def user_can_list(self, user):
        return self.policy.user_has_permission(user, "view")

    def user_can_create(self, user):
        return self.policy.user_has_permission(user, "add")

    def user_can_view_obj(self, user, obj):
        return self.policy.user_has_permission_for_instance(user, "view", obj)

    def user_can_inspect_obj(self, user, obj):
        return self.inspect_view_enabled and self.user_can_view_obj(user, obj)

    def user_can_edit_obj(self, user, obj):
        return self.policy.user_has_permission_for_instance(user, "change", obj)

    def user_can_delete_obj(self, user, obj):
        return self.policy.user_has_permission_for_instance(user, "delete", obj)


class RecordHistoryView(HistoryView):
    """wagtail-modeladmin's history view, asking the record's view permission first."""

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_view_obj(user, self.instance)


@dataclass(frozen=True)
class RecordAction:
    """A plugin's own action on one record, served under its model's admin.

    ``view(request, instance, model_admin)`` runs only for a user the policy allows
    ``permission`` on the instance (``permission`` defaults to ``name``). ``available``
    says from the record alone whether the action applies now (an open need can be
    claimed); ``button`` False keeps it out of the list's buttons (reached from another
    view, or a POST-only step)."""

    name: str
    label: str
    view: object
    permission: str | None = None
    available: object = None
    classname: str = "button button-small button-secondary"
    button: bool = True

    @property
    def action(self):
        return self.permission or self.name

    def applies_to(self, obj):
        return self.available is None or self.available(obj)


class RecordButtonHelper(ButtonHelper):
    """modeladmin's buttons plus the admin's actions the policy allows on each row."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        user = self.request.user
        for action in self.view.model_admin.record_actions:
            if not action.button or (exclude and action.name in exclude):
                continue
            if action.applies_to(obj) and self.permission_helper.user_can(user, action.action, obj):
                url = self.url_helper.get_action_url(action.name, obj.pk)
                buttons.append({"url": url, "label": action.label, "title": action.label,
                                "classname": action.classname})  # fmt: skip
        return buttons


class RecordAdmin(SafeModelAdmin):
    """Base of every record admin (see the module docstring)."""

    permission_helper_class = PolicyPermissionHelper
    button_helper_class = RecordButtonHelper
    history_view_class = RecordHistoryView
    #: The plugin's own actions on a record, as ``RecordAction``s.
    record_actions = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        if not isinstance(self.permission_helper, PolicyPermissionHelper):
            raise TypeError(f"{type(self).__name__}: a record admin asks its model's policy")
        self.permission_helper.policy  # noqa: B018 - refuses a model without a policy

    @property
    def policy(self):
        return self.permission_helper.policy

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return self.permission_helper.records_for_user(request.user, queryset)

    def get_record_action(self, name):
        return next(action for action in self.record_actions if action.name == name)

    def action_view(self, request, name, instance_pk):
        """Look the record up, ask the policy, then run the action's view."""
        action = self.get_record_action(name)
        try:
            instance = self.get_action_queryset(request).get(pk=int(instance_pk))
        except (ValueError, OverflowError, self.model.DoesNotExist):
            raise Http404 from None
        if not self.permission_helper.user_can_view_obj(request.user, instance):
            raise Http404
        if not self.permission_helper.user_can(request.user, action.action, instance):
            raise PermissionDenied
        return action.view(request, instance, self)

    #: Relations an action view reads (``select_related``), fetched with the record.
    action_select_related = ()

    def get_action_queryset(self, request):
        """Where action views look their record up."""
        queryset = self.model._default_manager.all()
        if self.action_select_related:
            queryset = queryset.select_related(*self.action_select_related)
        return queryset

    def action_url(self, name, instance):
        return self.url_helper.get_action_url(name, instance.pk)

    def get_admin_urls_for_registration(self):
        urls = super().get_admin_urls_for_registration()
        for action in self.record_actions:
            # A bound method (URL sweeps and tests find the admin serving the URL, as
            # for modeladmin's own views); the action's name comes as an extra kwarg.
            urls += (
                re_path(
                    self.url_helper.get_action_url_pattern(action.name),
                    self.record_action_view,
                    {"record_action": action.name},
                    name=self.url_helper.get_action_url_name(action.name),
                ),
            )
        return urls

    def record_action_view(self, request, instance_pk, record_action):
        return self.action_view(request, record_action, instance_pk)
