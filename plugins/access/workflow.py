"""The default review workflow: member submits, the Reviewer of the page approves."""

from django.db import transaction

from plugins.orgs.models import CityPage

#: Names as users see them in the admin's workflow settings.
WORKFLOW_NAME = "共建审核"
TASK_NAME = "本级审核"


@transaction.atomic
def ensure_review_workflow():
    """Create the workflow once and give it to every city page that has none of its own.

    Wagtail's default "Moderators approval" stays on the root; each city overrides it,
    so pages below route to their own Reviewers. Later plugins (workflows) may
    assign other workflows to any level; this never replaces an existing assignment."""
    from wagtail.models import Workflow, WorkflowPage, WorkflowTask

    from .models import LocalReviewTask

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        task = LocalReviewTask.objects.create(name=TASK_NAME, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for city in CityPage.objects.exclude(pk__in=WorkflowPage.objects.values("page_id")):
        WorkflowPage.objects.create(workflow=workflow, page=city)
    return workflow
