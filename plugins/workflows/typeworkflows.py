"""Per-type workflows for pages (see models.PageTypeWorkflow).

Wagtail finds a page's workflow through ``Page.get_workflow`` (the page, then its
ancestors). For the page types we give a type workflow (cases), that method is
extended on the type's own class: the exact page's workflow first, then the type's,
then Wagtail's lookup. Other page types keep Wagtail's method untouched.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

#: Page models (app_label.ModelName) that may carry a type workflow.
TYPE_WORKFLOW_MODELS = ["cases.CasePage"]


def _get_workflow(self):
    from wagtail.models import Page, WorkflowPage

    from .models import PageTypeWorkflow

    if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        return None
    if self.pk:
        own = WorkflowPage.objects.filter(page_id=self.pk, workflow__active=True).first()
        if own is not None:
            return own.workflow
    typed = (
        PageTypeWorkflow.objects.filter(
            content_type=ContentType.objects.get_for_model(type(self)), workflow__active=True
        )
        .select_related("workflow")
        .first()
    )
    if typed is not None:
        return typed.workflow
    return Page.get_workflow(self)


def _has_workflow(self):
    return self.get_workflow() is not None


def install():
    from django.apps import apps

    for label in TYPE_WORKFLOW_MODELS:
        app_label, name = label.split(".")
        try:
            model = apps.get_model(app_label, name)
        except LookupError:
            continue
        model.get_workflow = _get_workflow
        model.has_workflow = property(_has_workflow)


def workflow_for_new_page(page_class, parent_page):
    """The workflow a new page of ``page_class`` under ``parent_page`` will enter on
    submission: its type's workflow when the type has one, else the parent's."""
    label = f"{page_class._meta.app_label}.{page_class.__name__}"
    if label in TYPE_WORKFLOW_MODELS and getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        from .models import PageTypeWorkflow

        typed = (
            PageTypeWorkflow.objects.filter(
                content_type=ContentType.objects.get_for_model(page_class), workflow__active=True
            )
            .select_related("workflow")
            .first()
        )
        if typed is not None:
            return typed.workflow
    return parent_page.get_workflow()


def name_the_submit_workflow(menu_items, request, context):
    """``construct_page_action_menu``: Wagtail's create view names the *parent's* workflow
    on its submit button (提交给共建审核), while a case then enters its type's
    (典型案例发布); name the one the new page will actually enter."""
    from django.apps import apps
    from django.utils.translation import gettext as _
    from wagtail.admin.action_menu import SubmitForModerationMenuItem

    if context.get("view") != "create" or request.resolver_match is None:
        return
    kwargs = request.resolver_match.kwargs
    try:
        page_class = apps.get_model(kwargs["content_type_app_name"],
                                    kwargs["content_type_model_name"])  # fmt: skip
    except (KeyError, LookupError):
        return
    workflow = workflow_for_new_page(page_class, context["parent_page"])
    if workflow is None:
        return

    class NamedSubmitMenuItem(SubmitForModerationMenuItem):
        def get_context_data(self, parent_context):
            data = super().get_context_data(parent_context)
            # Wagtail's own words (提交给…), with the workflow the page will enter.
            data["label"] = _("Submit to %(workflow_name)s") % {"workflow_name": workflow.name}
            return data

    for position, item in enumerate(menu_items):
        if item.name == "action-submit":
            menu_items[position] = NamedSubmitMenuItem(order=item.order)
