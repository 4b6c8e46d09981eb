"""Editors find their way: 新建 from the case and activity indexes under their own
organisation, a submit button naming the workflow the page will enter, and uploads
preselecting their own collection (issue 21 item 4)."""

import re

import pytest
from wagtail.models import Collection

from plugins.activities.models import ActivityIndexPage, ActivityPage
from plugins.cases.models import CaseIndexPage, CasePage
from plugins.compilations.models import CompilationPage
from plugins.orgs.models import DistrictPage, ResidentUnitPage
from tests.conftest import login

pytestmark = pytest.mark.django_db

NEW_CASE = "/admin/new/cases/casepage/"


def add_url(model, parent):
    meta = model._meta
    return f"/admin/pages/add/{meta.app_label}/{meta.model_name}/{parent.pk}/"


def selected_option(html, select_id):
    select = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="(\d+)"[^>]*\bselected\b', select)


def test_the_case_index_offers_an_add_button(client, demo):
    index = CaseIndexPage.objects.child_of(DistrictPage.objects.get(slug="jiangbei")).get()
    login(client, "publicity")
    body = client.get(f"/admin/pages/{index.pk}/").content.decode()
    assert "新建典型案例" in body and NEW_CASE in body


def test_publicity_adds_a_case_under_the_district(client, demo):
    district = DistrictPage.objects.get(slug="jiangbei")
    login(client, "publicity")
    response = client.get(NEW_CASE)
    assert response.status_code == 302 and response["Location"] == add_url(CasePage, district)
    body = client.get(response["Location"]).content.decode()
    # The case enters 典型案例发布 (its type's workflow), not the tree's 共建审核.
    assert "提交给典型案例发布" in body
    assert "共建审核" not in body


def test_a_part_time_member_adds_a_case_under_their_unit(client, demo):
    unit = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    login(client, "member_a")
    response = client.get(NEW_CASE)
    assert response["Location"] == add_url(CasePage, unit)
    assert "提交给典型案例发布" in client.get(response["Location"]).content.decode()


def test_activity_and_compilation_buttons_lead_to_the_own_organisation(client, demo):
    login(client, "admin")
    index = ActivityIndexPage.objects.first()
    body = client.get(f"/admin/pages/{index.pk}/").content.decode()
    assert "新建活动记录" in body and "/admin/new/activities/activitypage/" in body
    login(client, "member_a")
    unit = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    response = client.get("/admin/new/activities/activitypage/")
    assert response["Location"] == add_url(ActivityPage, unit)

    login(client, "publicity")
    # Activities hang under streets and below: the district's editor chooses a street.
    page = client.get("/admin/new/activities/activitypage/")
    assert page.status_code == 200 and "请选择它所属的组织" in page.content.decode()
    response = client.get("/admin/new/compilations/compilationpage/")
    district = DistrictPage.objects.get(slug="jiangbei")
    assert response["Location"] == add_url(CompilationPage, district)


def test_someone_without_an_organisation_is_told_so(client, demo):
    login(client, "member_d")  # term ended
    response = client.get(NEW_CASE)
    assert response.status_code == 403
    assert "您没有可以新建典型案例的组织或单位" in response.content.decode()
    assert client.get("/admin/new/nothing/here/").status_code == 404


def test_uploads_preselect_the_own_collection(client, demo):
    public = Collection.objects.get(name="公共图片", depth=2)
    hospital = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital").unit_collection.collection
    community = Collection.objects.get(name="幸福里社区大党委")

    # A community secretary (community and its units): the community's own collection.
    login(client, "secretary_a")
    response = client.get("/admin/images/multiple/add/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"?collection_id={community.pk}")
    html = client.get(response["Location"]).content.decode()
    assert selected_option(html, "id_addimage_collection").group(1) == str(community.pk)
    chooser = client.get("/admin/images/chooser/").json()["html"]
    assert selected_option(chooser, "id_image-chooser-upload-collection").group(1) == str(
        community.pk
    )

    # District publicity staff have no unit of their own: 公共图片, offered with the units.
    login(client, "publicity")
    response = client.get("/admin/documents/multiple/add/")
    assert response["Location"].endswith(f"?collection_id={public.pk}")
    html = client.get(response["Location"]).content.decode()
    assert f'value="{hospital.pk}"' in html

    # A member has one collection to upload to: Wagtail asks nothing, it goes there.
    login(client, "member_a")
    assert client.get("/admin/images/multiple/add/").status_code == 200
