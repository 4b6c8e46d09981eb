"""The profile: default workflows, where they are attached, attach_workflow (contract 2)."""

from django.core.management import call_command
from wagtail.models import Page, Workflow, WorkflowPage

from plugins.workflows.defaults import attach_workflow
from plugins.workflows.models import OrgReviewTask, PrePublishCheckTask


def _steps(name):
    return [t.specific for t in Workflow.objects.get(name=name).tasks]


def test_default_workflows_and_their_steps(demo):
    unit = _steps("单位信息更新")
    assert [type(t) for t in unit] == [PrePublishCheckTask, OrgReviewTask]
    assert unit[1].level == "community"
    case = _steps("典型案例发布")
    assert [getattr(t, "level", None) for t in case] == [None, "street", "district"]
    assert [t.level for t in _steps("会议纪要公示")] == ["community"]


def test_attached_where_they_belong_and_setup_is_idempotent(pages):
    from plugins.cases.models import CaseIndexPage
    from plugins.orgs.models import ResidentUnitPage

    counts = (Workflow.objects.count(), WorkflowPage.objects.count())
    call_command("setup_site")
    assert (Workflow.objects.count(), WorkflowPage.objects.count()) == counts
    for unit in ResidentUnitPage.objects.all():
        assert unit.get_workflow().name == "单位信息更新"
    for index in CaseIndexPage.objects.all():
        assert index.get_workflow().name == "典型案例发布"
    # Pages elsewhere keep the access plugin's 共建审核.
    assert pages["community_a"].get_workflow().name == "共建审核"


def test_attach_workflow_is_idempotent_and_never_replaces(pages):
    community_a, community_b = pages["community_a"], pages["community_b"]
    other = Workflow.objects.create(name="另一流程")
    WorkflowPage.objects.create(workflow=other, page=community_b)
    workflow = attach_workflow("minutes_publish", [community_a, community_b])
    again = attach_workflow("minutes_publish", Page.objects.filter(pk=community_a.pk))
    assert workflow == again and workflow.name == "会议纪要公示"
    assert WorkflowPage.objects.get(page=community_a).workflow == workflow
    assert WorkflowPage.objects.get(page=community_b).workflow == other
    assert WorkflowPage.objects.filter(page=community_a).count() == 1


def test_term_list_in_the_admin(admin_client_demo):
    from django.urls import reverse

    from plugins.workflows.models import ReviewTerm

    client = admin_client_demo
    listing = client.get(reverse("wagtailsnippets_workflows_reviewterm:list"))
    assert listing.status_code == 200 and "江北区工委" in listing.content.decode()
    add = reverse("wagtailsnippets_workflows_reviewterm:add")
    response = client.post(add, {"term": "  江北区工委 ", "kind": "outdated", "active": "on"})
    assert response.status_code == 200  # the form again, with a message; nothing saved
    assert "已存在" in response.content.decode()
    response = client.post(add, {"term": "", "kind": "nonsense"})
    assert response.status_code == 200 and ReviewTerm.objects.count() == 2
    client.post(
        add, {"term": "旧街道名", "kind": "outdated", "replacement": "新华街道", "active": "on"}
    )
    assert ReviewTerm.objects.filter(term="旧街道名", replacement="新华街道").exists()


def test_notice_survives_hand_edited_links(admin_client_demo):
    from django.urls import reverse

    url = reverse("workflows:notice")
    for query in ("?kind=finished&page=abc&task_state=x", "?kind=nonsense", "?page=999999"):
        response = admin_client_demo.get(url + query)
        assert response.status_code == 302
