"""Object permissions: a part-time member reads and changes only their units' records."""

import json

import pytest

from plugins.cobuilding.models import (
    Agreement,
    Claim,
    ClaimKind,
    Commitment,
    Fulfilment,
    Need,
    NeedStatus,
    Project,
    Resource,
)
from tests.conftest import login

from .helpers import denied, url


@pytest.fixture
def ub_records(org):
    """Records of unit B (光明 community), which member_b serves and member_a does not."""
    community, unit = org["community_b"], org["ub"]
    resource = Resource.objects.create(community=community, unit=unit, title="科学实验室开放",
                                       category="education", year=2026)  # fmt: skip
    need = Need.objects.create(community=community, title="课后托管", category="education",
                               raised_by="居民", year=2026, status=NeedStatus.OPEN)  # fmt: skip
    claim = Claim.objects.create(community=community, unit=unit, kind=ClaimKind.NEED, need=need,
                                 year=2026, plan="x")  # fmt: skip
    agreement = Agreement.objects.create(community=community, unit=unit, year=2026)
    commitment = Commitment.objects.create(agreement=agreement, content="开放实验室", year=2026)
    fulfilment = Fulfilment.objects.create(commitment=commitment, description="开放两次")
    project = Project.objects.create(community=community, unit=unit, title="科学小课堂", year=2026)
    return {"resource": resource, "need": need, "claim": claim, "agreement": agreement,
            "commitment": commitment, "fulfilment": fulfilment, "project": project}  # fmt: skip


RECORDS = ["resource", "claim", "project", "agreement", "commitment", "fulfilment"]


@pytest.mark.parametrize("name", RECORDS)
def test_member_cannot_read_or_change_another_units_record_by_url(client, ub_records, name):
    record = ub_records[name]
    login(client, "member_a")
    listing = client.get(url(name))
    assert listing.status_code == 200
    assert f"/{name}/inspect/{record.pk}/" not in listing.content.decode()
    for action in ("inspect", "edit", "delete"):
        assert denied(client.get(url(name, action, record.pk))), action
    before = type(record).objects.filter(pk=record.pk).values().get()
    assert denied(client.post(url(name, "edit", record.pk), {"title": "改掉", "content": "改掉"}))
    assert denied(client.post(url(name, "delete", record.pk)))
    assert type(record).objects.filter(pk=record.pk).values().get() == before

    # Their own unit's member does see it.
    login(client, "member_b")
    assert f"/{name}/inspect/{record.pk}/" in client.get(url(name)).content.decode()
    assert client.get(url(name, "inspect", record.pk)).status_code == 200


def test_member_action_urls_for_other_units_answer_404(client, ub_records):
    login(client, "member_a")
    actions = [
        f"claim/decide/{ub_records['claim'].pk}/",
        f"commitment/score/{ub_records['commitment'].pk}/",
        f"agreement/docx/{ub_records['agreement'].pk}/",
        f"resource/claim/{ub_records['resource'].pk}/",
        f"project/progress/{ub_records['project'].pk}/",
    ]
    for action in actions:
        assert client.get(f"/admin/cobuilding/{action}").status_code == 404, action


def test_member_lists_show_only_their_units(client, org, ub_records):
    login(client, "member_a")
    resources = client.get(url("resource")).content.decode()
    assert "专家义诊进社区" in resources  # UA's
    assert "科学实验室开放" not in resources  # UB's
    assert "学校操场周末开放" not in resources  # the school's, same community
    # Moderated needs of any community are readable (they are public), pending ones are not.
    needs = client.get(url("need")).content.decode()
    assert "课后托管" in needs and "增设电动车充电桩" not in needs


def test_member_cannot_create_records_for_another_unit(client, org):
    login(client, "member_a")
    data = {"community": org["community_b"].pk, "year": 2026, "unit": org["ub"].pk,
            "title": "冒名资源", "category": "venue", "status": "open"}  # fmt: skip
    response = client.post(url("resource", "create"), data)
    assert response.status_code == 200  # the form again, with its errors
    assert not Resource.objects.filter(title="冒名资源").exists()
    # Their own unit, in a community of their street: accepted.
    data.update(community=org["community_a"].pk, unit=org["ua"].pk, title="护理培训")
    assert client.post(url("resource", "create"), data).status_code == 302
    assert Resource.objects.get(title="护理培训").unit == org["ua"]


def test_member_edits_own_resource_and_commitment_but_not_needs_or_scores(client, org):
    login(client, "member_a")
    resource = Resource.objects.get(title="急救知识培训")
    assert client.get(url("resource", "edit", resource.pk)).status_code == 200
    need = Need.objects.get(title="小区路灯维修")
    assert denied(client.get(url("need", "edit", need.pk)))
    commitment = Commitment.objects.filter(unit=org["ua"]).first()
    assert client.get(url("commitment", "edit", commitment.pk)).status_code == 200
    assert denied(client.post(f"/admin/cobuilding/commitment/score/{commitment.pk}/",
                              {"score": 100}))  # fmt: skip
    commitment.refresh_from_db()
    assert commitment.score != 100


def test_secretary_scope_is_their_community(client, org, ub_records):
    login(client, "secretary_a")
    resources = client.get(url("resource")).content.decode()
    assert "学校操场周末开放" in resources and "科学实验室开放" not in resources
    assert denied(client.get(url("agreement", "edit", ub_records["agreement"].pk)))
    needs = client.get(url("need")).content.decode()
    assert "增设电动车充电桩" in needs  # their own pending need, to moderate
    assert "课后托管" not in needs


def test_lists_filter_by_community_year_status(
    client, org, ub_records, django_assert_max_num_queries
):
    login(client, "admin")
    with django_assert_max_num_queries(40):
        response = client.get(url("need"), {"community": org["community_b"].pk})
    body = response.content.decode()
    assert "课后托管" in body and "小区路灯维修" not in body
    # The filters' own parameters, as their side-bar links write them (Django 5's filter
    # of all values takes the bare field name; lookups no filter declares are ignored, see
    # site/modeladmin.py).
    body = client.get(url("need"), {"status__exact": "pending"}).content.decode()
    assert "增设电动车充电桩" in body and "小区路灯维修" not in body
    assert "课后托管" in client.get(url("need"), {"year": 2026}).content.decode()
    assert "课后托管" not in client.get(url("need"), {"year": 2025}).content.decode()
    for name in ("resource", "claim", "project", "agreement", "commitment", "fulfilment"):
        with django_assert_max_num_queries(60):
            assert client.get(url(name)).status_code == 200, name


def test_menu_group_and_community_button(client, org):
    login(client, "member_a")
    home = client.get("/admin/").content.decode()
    # The sidebar is JSON: labels arrive \u-escaped.
    assert json.dumps("共建清单") in home and "/admin/cobuilding/resource/" in home
    login(client, "secretary_a")
    body = client.get(f"/admin/pages/{org['community_a'].pk}/edit/").content.decode()
    assert "/gongshi/xingfuli/" in body


@pytest.mark.parametrize("username", ["member_a", "secretary_a"])
def test_list_queries_do_not_grow_with_rows(client, org, username):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plugins.cobuilding.models import Agreement, Commitment

    login(client, username)
    names = ("resource", "commitment", "project", "fulfilment")

    def counts():
        result = {}
        for name in names:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url(name)).status_code == 200
            result[name] = len(queries)
        return result

    before = counts()
    agreement = Agreement.objects.get(unit=org["ua"])
    for n in range(15):
        Resource.objects.create(community=org["community_a"], unit=org["ua"], title=f"资源{n}",
                                category="social", year=2026)  # fmt: skip
        commitment = Commitment.objects.create(agreement=agreement, content=f"承诺{n}", year=2026)
        Fulfilment.objects.create(commitment=commitment, description=f"履诺{n}")
    after = counts()
    for name in names:
        assert after[name] <= before[name] + 2, (name, before[name], after[name])
        assert after[name] <= 40, (name, after[name])
