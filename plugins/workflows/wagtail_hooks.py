"""Registration only: the term list, the notice URL, dashboard panels, page state
buttons, Chinese workflow log messages, default workflows for new pages, direct
publishing as the workflow allows it."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import publishing, typeworkflows, views
from .log_actions import register_log_actions
from .models import ReviewTerm
from .panels import replace_panels
from .states import page_state


class ReviewTermViewSet(SnippetViewSet):
    model = ReviewTerm
    icon = "warning"
    menu_label = _("审核词表")
    menu_name = "review_terms"
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["term", "kind", "replacement", "note", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["term", "replacement", "note"]
    ordering = ["kind", "term"]


register_snippet(ReviewTermViewSet)


@hooks.register("register_admin_urls")
def register_urls():
    return [path("workflows/", include((views.urlpatterns, "workflows"), namespace="workflows"))]


hooks.register("construct_homepage_panels", replace_panels)
# Direct publishing as the workflow allows it, checked like a workflow publish (publishing.py).
hooks.register("before_edit_page", publishing.refuse_held_back_publish)
hooks.register("before_edit_page", publishing.remember_workflow_action)
hooks.register("before_create_page", publishing.refuse_held_back_publish_on_create)
hooks.register("construct_page_action_menu", publishing.hide_publish_on_create)
hooks.register("construct_page_action_menu", typeworkflows.name_the_submit_workflow)
hooks.register("before_publish_page", publishing.check_before_publish)
hooks.register("after_publish_page", publishing.log_override_after_publish)
hooks.register("after_edit_page", publishing.feedback_after_edit)
hooks.register("after_create_page", publishing.feedback_after_edit)
# After Wagtail's own (hooks run in order), so ours replaces its bulk 发布.
hooks.register("register_bulk_action", publishing.CheckedPublishBulkAction, order=100)
# After Wagtail's own registrations (hooks run in app order), so these messages win.
hooks.register("register_log_actions", register_log_actions, order=100)


class StateButton(PageMenuItem):
    """The page's state in Chinese; opens the page's history (approval steps, comments)."""

    icon_name = "info-circle"
    url_name = "wagtailadmin_pages:history"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label = _("状态：%(state)s") % {"state": page_state(self.page)}

    @property
    def url(self):
        return reverse(self.url_name, args=[self.page.pk])

    def is_shown(self, user):
        # It links to the history: shown to editors who may see the history (a page type's
        # own permission tester may refuse that, as Wagtail's history button respects).
        perms = self.page.permissions_for_user(user)
        return self.page.depth > 1 and perms.can_edit() and perms.can_view_revisions()


@hooks.register("register_page_header_buttons")
def state_header_button(page, user, view_name, next_url=None):
    yield StateButton(page=page, priority=5)


@hooks.register("after_create_page")
def attach_default_workflows(request, page):
    """New units and case indexes get their default workflow like the demo ones."""
    from .defaults import attach_defaults_to

    attach_defaults_to(page)
