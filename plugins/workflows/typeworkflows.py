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
