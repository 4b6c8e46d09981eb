"""Committee composition rules: warnings by default, form errors in strict mode."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from plugins.orgs.composition import Role, check_composition, composition_of
from plugins.orgs.models import (
    CommunityPage,
    GridBranchPage,
    PartyGroupPage,
    ResidentUnitPage,
    StreetPage,
)

TODAY = date(2026, 6, 1)


def members(**counts):
    """A committee as dicts: members(secretary=1, member=3, part_time_member=2)."""
    return [{"role": role} for role, n in counts.items() for _ in range(n)]


class TestRulesAsData:
    def test_a_valid_street_committee_has_no_findings(self):
        committee = members(secretary=1, deputy_full_time=1, member=4, part_time_member=3)
        assert check_composition(StreetPage, committee, TODAY) == []

    def test_street_total_must_be_odd(self):
        committee = members(secretary=1, member=4, part_time_member=3)
        [finding] = check_composition(StreetPage, committee, TODAY)
        assert "单数" in finding and "8 人" in finding

    def test_street_at_most_13(self):
        committee = members(secretary=1, member=9, part_time_member=5)
        [finding] = check_composition(StreetPage, committee, TODAY)
        assert "人数上限" in finding and "13" in finding and "15 人" in finding

    @pytest.mark.parametrize("part_time, ok", [(2, False), (3, True), (5, True), (6, False)])
    def test_street_part_time_3_to_5(self, part_time, ok):
        committee = members(secretary=1, member=6 - part_time + 2, part_time_member=part_time)
        committee = committee if len(committee) % 2 else [*committee, {"role": "member"}]
        findings = check_composition(StreetPage, committee, TODAY)
        assert (findings == []) is ok, findings
        if not ok:
            assert "3–5" in findings[0] and f"当前为 {part_time} 名" in findings[0]

    def test_community_at_most_11_and_odd(self):
        committee = members(secretary=1, member=8, part_time_member=3)  # 12
        findings = check_composition(CommunityPage, committee, TODAY)
        assert len(findings) == 2
        assert any("单数" in f and "12 人" in f for f in findings)
        assert any("11" in f and "12 人" in f for f in findings)

    @pytest.mark.parametrize("part_time, ok", [(1, False), (2, True), (3, True), (4, False)])
    def test_community_part_time_2_to_3(self, part_time, ok):
        committee = members(secretary=1, member=6 - part_time, part_time_member=part_time)
        findings = check_composition(CommunityPage, committee, TODAY)
        assert (findings == []) is ok, findings

    def test_part_time_deputy_counts_as_part_time(self):
        committee = members(secretary=1, member=2, deputy_part_time=1, part_time_member=1)
        assert check_composition(CommunityPage, committee, TODAY) == []

    def test_grid_branch_at_most_5(self):
        assert check_composition(GridBranchPage, members(secretary=1, member=4), TODAY) == []
        [finding] = check_composition(GridBranchPage, members(secretary=1, member=5), TODAY)
        assert "5 人" in finding and "6 人" in finding

    def test_family_committee_at_most_3(self):
        assert check_composition(PartyGroupPage, members(secretary=1, member=2), TODAY) == []
        [finding] = check_composition(PartyGroupPage, members(secretary=1, member=3), TODAY)
        assert "党群微家家委会" in finding and "4 人" in finding

    def test_one_secretary_and_one_first_secretary(self):
        committee = members(first_secretary=2, secretary=1, member=2)
        [finding] = check_composition(GridBranchPage, committee, TODAY)
        assert "第一书记" in finding and "2 名" in finding

    def test_liaisons_are_not_committee_members(self):
        committee = members(secretary=1, member=2, part_time_member=2, liaison=3)
        assert composition_of(committee, TODAY).total == 5
        assert check_composition(CommunityPage, committee, TODAY) == []

    def test_only_members_in_term_count(self):
        ended = {"role": Role.MEMBER, "term_start": date(2020, 1, 1), "term_end": date(2026, 5, 31)}
        last_day = {"role": Role.MEMBER, "term_start": date(2023, 6, 1), "term_end": TODAY}
        future = {"role": Role.MEMBER, "term_start": date(2026, 6, 2), "term_end": None}
        assert composition_of([ended, last_day, future], TODAY).total == 1


def edit_form(client, page):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(url)
    assert response.status_code == 200
    return url, querydict_from_html(response.content.decode(), form_id="page-edit-form")


def add_member(data, role, name, source_unit=""):
    index = int(data["committee_members-TOTAL_FORMS"])
    data["committee_members-TOTAL_FORMS"] = str(index + 1)
    data[f"committee_members-{index}-role"] = role
    data[f"committee_members-{index}-person_name"] = name
    data[f"committee_members-{index}-source_unit"] = str(source_unit)
    data[f"committee_members-{index}-ORDER"] = str(index + 1)
    data[f"committee_members-{index}-id"] = ""
    data[f"committee_members-{index}-term_start"] = ""
    data[f"committee_members-{index}-term_end"] = ""


@pytest.mark.django_db
def test_editor_sees_a_warning_and_the_page_still_saves(admin_client_demo):
    page = CommunityPage.objects.get(slug="guangming")  # 5 members, 2 part-time
    unit = ResidentUnitPage.objects.get(slug="jiangbei-experimental-primary")
    revisions = page.revisions.count()
    url, data = edit_form(admin_client_demo, page)
    add_member(data, "part_time_member", "新委员甲", unit.pk)
    add_member(data, "part_time_member", "新委员乙", unit.pk)
    response = admin_client_demo.post(url, data)
    assert response.status_code == 302
    assert page.revisions.count() == revisions + 1
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "兼职委员人数" in warnings[0] and "2–3" in warnings[0] and "当前为 4 名" in warnings[0]


@pytest.mark.django_db
def test_strict_mode_refuses_the_save_with_the_reason(admin_client_demo, settings):
    settings.ORGS_STRICT_COMPOSITION = True
    page = CommunityPage.objects.get(slug="guangming")
    unit = ResidentUnitPage.objects.get(slug="jiangbei-experimental-primary")
    revisions = page.revisions.count()
    url, data = edit_form(admin_client_demo, page)
    add_member(data, "member", "新委员丙")  # 6: even
    response = admin_client_demo.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert any("单数" in e and "6 人" in e for e in errors)
    assert "单数原则" in response.content.decode()
    assert page.revisions.count() == revisions

    add_member(data, "part_time_member", "新委员丁", unit.pk)  # 7, 3 part-time: fine
    response = admin_client_demo.post(url, data)
    assert response.status_code == 302
    assert page.revisions.count() == revisions + 1


@pytest.mark.django_db
def test_the_demo_breaks_exactly_one_rule_and_the_editor_panel_shows_it(admin_client_demo):
    from plugins.orgs.models import OrganisationPage

    broken = {
        page.slug: page.composition_warnings()
        for page in OrganisationPage.objects.specific()
        if page.composition_warnings()
    }
    assert list(broken) == ["chunhui"]
    assert len(broken["chunhui"]) == 1 and "当前为 4 名" in broken["chunhui"][0]

    chunhui = CommunityPage.objects.get(slug="chunhui")
    response = admin_client_demo.get(reverse("wagtailadmin_pages:edit", args=[chunhui.pk]))
    assert "兼职委员人数" in response.content.decode()
    ok = CommunityPage.objects.get(slug="xingfuli")
    response = admin_client_demo.get(reverse("wagtailadmin_pages:edit", args=[ok.pk]))
    assert "构成符合各项原则" in response.content.decode()


@pytest.mark.django_db
def test_part_time_member_needs_a_source_unit(admin_client_demo):
    page = CommunityPage.objects.get(slug="guangming")
    revisions = page.revisions.count()
    url, data = edit_form(admin_client_demo, page)
    add_member(data, "part_time_member", "无单位委员")
    response = admin_client_demo.post(url, data)
    assert response.status_code == 200
    assert "兼职委员必须填写原单位" in response.content.decode()
    assert page.revisions.count() == revisions


@pytest.mark.django_db
def test_term_end_before_start_is_refused(admin_client_demo):
    page = CommunityPage.objects.get(slug="guangming")
    url, data = edit_form(admin_client_demo, page)
    add_member(data, "member", "日期颠倒")
    index = int(data["committee_members-TOTAL_FORMS"]) - 1
    data[f"committee_members-{index}-term_start"] = "2026-05-01"
    data[f"committee_members-{index}-term_end"] = "2025-05-01"
    response = admin_client_demo.post(url, data)
    assert response.status_code == 200
    assert "任期结束日期不能早于开始日期" in response.content.decode()


@pytest.mark.django_db
def test_edit_view_query_count(admin_client_demo, django_assert_max_num_queries):
    page = StreetPage.objects.get(slug="xinhua")
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    admin_client_demo.get(url)  # warm caches that are per process, not per request
    with django_assert_max_num_queries(60):
        assert admin_client_demo.get(url).status_code == 200
