"""The organisation tree is enforced by parent_page_types, in the models and in the admin."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from plugins.orgs.models import (
    AreaBranchPage,
    CityPage,
    CoBuildingCirclePage,
    CommunityPage,
    DistrictPage,
    GridBranchPage,
    OrganisationPage,
    ParkPage,
    PartyGroupPage,
    ResidentUnitPage,
    StreetPage,
)


class TreeRulesTests(WagtailPageTestCase):
    def test_allowed_parents_of_every_level(self):
        expected = {
            CityPage: {Page},
            DistrictPage: {CityPage},
            StreetPage: {DistrictPage},
            AreaBranchPage: {StreetPage},
            CommunityPage: {StreetPage, AreaBranchPage},
            GridBranchPage: {CommunityPage},
            PartyGroupPage: {GridBranchPage},
            ResidentUnitPage: {StreetPage, CommunityPage},
            ParkPage: {DistrictPage, StreetPage},
            CoBuildingCirclePage: {ParkPage},
        }
        for child, parents in expected.items():
            with self.subTest(child=child.__name__):
                self.assertAllowedParentPageTypes(child, parents)

    def test_forbidden_placements(self):
        forbidden = [
            (StreetPage, GridBranchPage),  # a grid branch belongs to a community
            (CommunityPage, CommunityPage),  # no community under a community
            (CityPage, StreetPage),  # streets hang under a district
            (DistrictPage, CommunityPage),
            (CommunityPage, PartyGroupPage),  # 党群微家 sit under a grid branch
            (GridBranchPage, ResidentUnitPage),
            (PartyGroupPage, GridBranchPage),
            (DistrictPage, CoBuildingCirclePage),
            (ResidentUnitPage, ResidentUnitPage),
        ]
        for parent, child in forbidden:
            with self.subTest(parent=parent.__name__, child=child.__name__):
                self.assertCanNotCreateAt(parent, child)

    def test_the_abstract_level_cannot_be_created(self):
        self.assertFalse(OrganisationPage.is_creatable)
        self.assertCanCreateAt(StreetPage, AreaBranchPage)
        self.assertCanCreateAt(AreaBranchPage, CommunityPage)


@pytest.mark.django_db
def test_admin_refuses_a_grid_branch_under_a_street(admin_client_demo):
    street = StreetPage.objects.get(slug="xinhua")
    before = GridBranchPage.objects.count()
    url = reverse("wagtailadmin_pages:add", args=["orgs", "gridbranchpage", street.pk])
    response = admin_client_demo.post(url, {"title": "错误的网格", "slug": "wrong-grid"})
    # Wagtail answers a refused admin action by sending the user back to the
    # dashboard with a "permission denied" message.
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert GridBranchPage.objects.count() == before
    assert not GridBranchPage.objects.filter(slug="wrong-grid").exists()


@pytest.mark.django_db
def test_admin_offers_only_allowed_children(admin_client_demo):
    street = StreetPage.objects.get(slug="xinhua")
    response = admin_client_demo.get(reverse("wagtailadmin_pages:add_subpage", args=[street.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for allowed in ("社区大党委", "驻区单位", "片区党总支", "园区"):
        assert allowed in html
    assert "gridbranchpage" not in html
    assert "partygrouppage" not in html


@pytest.mark.django_db
def test_admin_creates_a_community_with_its_committee(admin_client_demo):
    street = StreetPage.objects.get(slug="chunhe")
    unit = ResidentUnitPage.objects.get(slug="jiangan-library")
    url = reverse("wagtailadmin_pages:add", args=["orgs", "communitypage", street.pk])
    form = {
        "title": "新建社区大党委",
        "slug": "new-community",
        "intro": '{"blocks": [], "entityMap": {}}',
        "address": "春和街道新路1号",
        "phone": "0791-8822 0001",
        "committee_members-TOTAL_FORMS": "3",
        "committee_members-INITIAL_FORMS": "0",
        "committee_members-MIN_NUM_FORMS": "0",
        "committee_members-MAX_NUM_FORMS": "1000",
        "action-publish": "action-publish",
    }
    people = [("secretary", "甲", ""), ("part_time_member", "乙", unit.pk), ("member", "丙", "")]
    for index, (role, name, source) in enumerate(people):
        form.update(
            {
                f"committee_members-{index}-role": role,
                f"committee_members-{index}-person_name": name,
                f"committee_members-{index}-source_unit": source,
                f"committee_members-{index}-ORDER": str(index + 1),
                f"committee_members-{index}-id": "",
            }
        )
    response = admin_client_demo.post(url, form)
    assert response.status_code == 302, response.context["form"].errors
    page = CommunityPage.objects.get(slug="new-community")
    assert page.live
    assert [m.person_name for m in page.committee_members.order_by("sort_order")] == [
        "甲",
        "乙",
        "丙",
    ]
