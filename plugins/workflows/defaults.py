"""The default workflows (created by setup_site) and ``attach_workflow``, the public API
other plugins call from their setup() (contract 2 in the project notes).

| key | workflow | steps |
| --- | --- | --- |
| unit_update | 单位信息更新 | 发布前检查 → 社区审核 |
| case_publish | 典型案例发布 | 发布前检查 → 街道审核 → 区委终审 |
| minutes_publish | 会议纪要公示 | 社区审核 |

Tasks are shared between workflows and looked up by type and name, workflows by name,
so running setup again changes nothing, and an administrator's later edits to a
workflow's steps are kept.
"""

from django.db import transaction
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from plugins.orgs.models import ResidentUnitPage

CHECK = "发布前检查"
#: Task name -> level of the 组织审核 tasks.
REVIEW_TASKS = {"社区审核": "community", "街道审核": "street", "区委终审": "district"}

DEFAULTS = {
    "unit_update": ("单位信息更新", [CHECK, "社区审核"]),
    "case_publish": ("典型案例发布", [CHECK, "街道审核", "区委终审"]),
    "minutes_publish": ("会议纪要公示", ["社区审核"]),
}


def ensure_task(name):
    from .models import OrgReviewTask, PrePublishCheckTask

    if name == CHECK:
        task = PrePublishCheckTask.objects.filter(name=name).first()
        return task or PrePublishCheckTask.objects.create(name=name)
    level = REVIEW_TASKS[name]
    task = OrgReviewTask.objects.filter(name=name, level=level).first()
    return task or OrgReviewTask.objects.create(name=name, level=level)


@transaction.atomic
def ensure_workflow(key):
    """The default workflow ``key``, created with its steps the first time."""
    name, steps = DEFAULTS[key]
    workflow = Workflow.objects.filter(name=name).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=name, active=True)
        for order, step in enumerate(steps):
            WorkflowTask.objects.create(workflow=workflow, task=ensure_task(step), sort_order=order)
    return workflow


def ensure_default_workflows():
    return {key: ensure_workflow(key) for key in DEFAULTS}


@transaction.atomic
def attach_workflow(key, pages):
    """Attach the default workflow ``key`` to each page in ``pages`` and return it.

    Idempotent; a page that already has another workflow attached to it (by an
    administrator or another plugin) keeps it."""
    workflow = ensure_workflow(key)
    ids = [page.pk for page in pages]
    taken = set(WorkflowPage.objects.filter(page_id__in=ids).values_list("page_id", flat=True))
    WorkflowPage.objects.bulk_create(
        [
            WorkflowPage(workflow=workflow, page_id=pk)
            for pk in dict.fromkeys(ids)
            if pk not in taken
        ]
    )
    return workflow


def attach_to_type(key, model):
    """Every page of ``model`` goes through ``key`` (unless one is attached to it)."""
    from django.contrib.contenttypes.models import ContentType

    from .models import PageTypeWorkflow

    workflow = ensure_workflow(key)
    PageTypeWorkflow.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(model), defaults={"workflow": workflow}
    )
    return workflow


def attach_defaults():
    """Where this plugin's defaults belong: every resident unit (and so its children).

    Other plugins attach theirs through ``plugins.workflows.api`` from their own setup
    (cases: 典型案例发布, meetings: 会议纪要公示), so workflows depends on none of them."""
    ensure_default_workflows()
    attach_workflow("unit_update", ResidentUnitPage.objects.all())


def attach_defaults_to(page):
    """The default workflow for one new page, if its type has one."""
    if page.specific_class is ResidentUnitPage:
        attach_workflow("unit_update", [page])
