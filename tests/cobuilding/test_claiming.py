"""Two-way claiming end to end, through the real admin views."""

from datetime import date

import pytest

from plugins.cobuilding import stats
from plugins.cobuilding.models import (
    Claim,
    ClaimKind,
    ClaimStatus,
    Need,
    NeedStatus,
    Project,
    ProjectStatus,
    Resource,
    ResourceStatus,
)
from tests.conftest import login

from .helpers import denied


def test_unit_claims_need_community_accepts_project_completes(
    client, org, django_assert_max_num_queries
):
    need = Need.objects.get(title="青少年暑期托管")
    assert need.status == NeedStatus.OPEN

    # 1. The hospital's part-time member claims the need.
    login(client, "member_a")
    listing = client.get("/admin/cobuilding/need/").content.decode()
    assert f"/admin/cobuilding/need/claim/{need.pk}/" in listing
    claim_url = f"/admin/cobuilding/need/claim/{need.pk}/"
    response = client.post(claim_url, {"unit": org["ua"].pk, "plan": ""})
    assert response.status_code == 400
    assert "请简要说明如何落实该需求。" in response.content.decode()
    # Another unit cannot be chosen: not among the choices.
    response = client.post(claim_url, {"unit": org["ub"].pk, "plan": "组织志愿者"})
    assert response.status_code == 400
    assert not Claim.objects.filter(need=need).exists()
    with django_assert_max_num_queries(30):
        response = client.post(claim_url, {"unit": org["ua"].pk, "plan": "医院团委组织青年志愿者"})
    assert response.status_code == 302
    claim = Claim.objects.get(need=need)
    assert (claim.kind, claim.status, claim.unit) == (
        ClaimKind.NEED,
        ClaimStatus.PENDING,
        org["ua"],
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.CLAIMED

    # The claiming side cannot accept its own claim.
    decide_url = f"/admin/cobuilding/claim/decide/{claim.pk}/"
    assert denied(client.post(decide_url, {"decision": "accept", "project_title": "x"}))

    # 2. The community secretary accepts: a project is made.
    login(client, "secretary_a")
    listing = client.get("/admin/cobuilding/claim/").content.decode()
    assert decide_url in listing
    response = client.post(decide_url, {"decision": "accept", "project_title": ""})
    assert response.status_code == 400
    assert "接受认领时请填写项目名称。" in response.content.decode()
    response = client.post(
        decide_url,
        {"decision": "accept", "project_title": "暑期“四点半课堂”", "target_date": "2026-08-31"},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    project = claim.project
    assert claim.status == ClaimStatus.ACCEPTED and claim.decided_by.username == "secretary_a"
    assert list(project.needs.all()) == [need]
    assert project.unit == org["ua"] and project.community == org["community_a"]
    assert project.target_date == date(2026, 8, 31)
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_PROGRESS

    # 3. The lead unit's member records dated progress; 100% completes it.
    login(client, "member_a")
    progress_url = f"/admin/cobuilding/project/progress/{project.pk}/"
    response = client.post(progress_url, {"date": "2026-07-10", "percent": "140", "note": "开班"})
    assert response.status_code == 400
    assert "完成进度不能大于 100。" in response.content.decode()
    assert (
        client.post(
            progress_url, {"date": "2026-07-10", "percent": "40", "note": "开班，32 名学生"}
        ).status_code
        == 302
    )
    project.refresh_from_db()
    assert (project.progress, project.status) == (40, ProjectStatus.ACTIVE)
    assert stats.claims_completed(org["ua"], claim.year) == 0
    client.post(progress_url, {"date": "2026-08-30", "percent": "100", "note": "结业"})
    project.refresh_from_db()
    assert (project.progress, project.status) == (100, ProjectStatus.DONE)
    assert project.completed_on == date(2026, 8, 30)
    need.refresh_from_db()
    assert need.status == NeedStatus.DONE
    assert stats.claims_completed(org["ua"], claim.year) == 1
    assert stats.claims_completed(org["ub"], claim.year) == 0
    assert stats.claims_completed_by_unit([org["ua"], org["ub"]], claim.year) == {
        org["ua"].pk: 1,
        org["ub"].pk: 0,
    }
    page = client.get(progress_url).content.decode()
    assert "开班，32 名学生" in page and "结业" in page

    # Another unit's member can neither see nor update the project.
    login(client, "member_b")
    assert denied(client.get(progress_url))
    assert denied(client.post(progress_url, {"date": "2026-09-01", "percent": "10", "note": "x"}))


def test_community_claims_resource_unit_declines_with_reason(client, org):
    resource = Resource.objects.get(title="急救知识培训")
    login(client, "secretary_a")
    listing = client.get("/admin/cobuilding/resource/").content.decode()
    claim_url = f"/admin/cobuilding/resource/claim/{resource.pk}/"
    assert claim_url in listing
    assert client.post(claim_url, {"plan": "面向楼栋长开展培训"}).status_code == 302
    claim = Claim.objects.get(resource=resource)
    assert claim.kind == ClaimKind.RESOURCE and claim.unit == org["ua"]
    decide_url = f"/admin/cobuilding/claim/decide/{claim.pk}/"
    # The community that claimed does not decide; a member of another unit cannot either.
    assert denied(client.post(decide_url, {"decision": "decline", "reason": "x"}))
    login(client, "member_b")
    assert denied(client.get(decide_url))

    login(client, "member_a")
    response = client.post(decide_url, {"decision": "decline", "reason": "  "})
    assert response.status_code == 400
    assert "婉拒时必须填写理由。" in response.content.decode()
    assert (
        client.post(
            decide_url, {"decision": "decline", "reason": "下半年培训师资已排满"}
        ).status_code
        == 302
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DECLINED
    assert claim.decline_reason == "下半年培训师资已排满"
    assert claim.project is None
    # Decided claims cannot be decided again.
    client.post(decide_url, {"decision": "accept", "project_title": "再来"})
    claim.refresh_from_db()
    assert (
        claim.status == ClaimStatus.DECLINED and not Project.objects.filter(title="再来").exists()
    )


def test_unit_accepts_community_resource_claim(client, org):
    """The demo's pending claim on the school's venue: the school's member accepts."""
    claim = Claim.objects.get(resource__title="学校操场周末开放")
    login(client, "member_c")  # part-time member from the school, in term
    decide_url = f"/admin/cobuilding/claim/decide/{claim.pk}/"
    response = client.post(decide_url, {"decision": "accept", "project_title": "周末全民健身"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ACCEPTED
    assert list(claim.project.resources.all()) == [claim.resource]
    assert Resource.objects.get(pk=claim.resource_id).status == ResourceStatus.MATCHED


@pytest.mark.parametrize("status", [NeedStatus.PENDING, NeedStatus.DONE])
def test_unmoderated_or_done_needs_cannot_be_claimed(client, org, status):
    need = Need.objects.get(title="小区路灯维修")
    Need.objects.filter(pk=need.pk).update(status=status)
    login(client, "member_a")
    response = client.post(f"/admin/cobuilding/need/claim/{need.pk}/",
                           {"unit": org["ua"].pk, "plan": "维修"})  # fmt: skip
    assert response.status_code in (302, 404)
    assert not Claim.objects.filter(need=need).exists()


def test_secretary_moderates_resident_need(client, org):
    need = Need.objects.get(title="增设电动车充电桩")
    assert need.status == NeedStatus.PENDING
    login(client, "member_a")
    assert denied(client.post(f"/admin/cobuilding/need/moderate/{need.pk}/",
                              {"decision": "approve"}))  # fmt: skip
    login(client, "secretary_a")
    url = f"/admin/cobuilding/need/moderate/{need.pk}/"
    response = client.post(url, {"decision": "reject"})
    assert response.status_code == 400 and "不予采纳时请填写审核意见。" in response.content.decode()
    assert client.post(url, {"decision": "approve"}).status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN
