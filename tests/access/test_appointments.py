"""Appointments through the modeladmin: defaults, bad input, filters, expiry, 我的单位."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry, Page

from gongjian_site import clock
from plugins.access.models import Appointment, AppointmentStatus, default_end
from plugins.orgs.models import CommunityPage, ResidentUnitPage, StreetPage
from tests.conftest import login

User = get_user_model()
CREATE = "/admin/access/appointment/create/"
INDEX = "/admin/access/appointment/"


@pytest.fixture
def org(demo):
    return {
        "community_a": CommunityPage.objects.get(slug="xingfuli"),
        "community_b": CommunityPage.objects.get(slug="guangming"),
        "street": StreetPage.objects.get(slug="xinhua"),
        "ua": ResidentUnitPage.objects.get(slug="jiangan-no1-hospital"),
        "tech": ResidentUnitPage.objects.get(slug="huaxin-tech"),
    }


def _data(org, **overrides):
    data = {
        "user": "publicity",
        "committee": org["street"].pk,
        "source_unit": org["tech"].pk,
        "role": "part_time_member",
        "division_of_work": "宣传联络",
        "start_date": "2026-01-01",
        "end_date": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_create_fills_defaults(client, org, django_assert_max_num_queries):
    login(client, "admin")
    assert client.get(CREATE).status_code == 200
    with django_assert_max_num_queries(40):
        response = client.post(CREATE, _data(org))
    assert response.status_code == 302, response.content.decode()[:2000]
    appointment = Appointment.objects.get(user__username="publicity")
    assert appointment.end_date == date(2028, 12, 31)  # start + 3 years - 1 day
    assert list(appointment.assigned_units.all()) == [org["tech"]]
    assert appointment.status == AppointmentStatus.ACTIVE


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"user": "nobody"}, "找不到用户“nobody”。"),
        ({"user": "inactive_person"}, "用户“inactive_person”已停用。"),
        ({"end_date": "2025-12-31"}, "任期结束日期不能早于开始日期。"),
        ({"source_unit": "COMMUNITY"}, "原单位必须是驻区单位页面。"),
        ({"committee": "UNIT"}, "任职党组织必须是街道党工委或社区大党委。"),
        ({"user": "member_a", "committee": "COMMUNITY_A"}, "该用户在同一党组织已有重叠的任职"),
    ],
)
def test_bad_input_gives_chinese_errors_and_saves_nothing(client, org, overrides, field_error):
    User.objects.create_user("inactive_person", is_active=False)
    names = {"COMMUNITY": org["community_a"].pk, "UNIT": org["ua"].pk,
             "COMMUNITY_A": org["community_a"].pk}  # fmt: skip
    overrides = {key: names.get(value, value) for key, value in overrides.items()}
    before = Appointment.objects.count()
    login(client, "admin")
    response = client.post(CREATE, _data(org, **overrides))
    assert response.status_code == 200  # the form again, with its errors
    assert field_error in response.content.decode()
    assert Appointment.objects.count() == before


@pytest.mark.parametrize(
    ("term", "shown", "hidden"),
    [
        ("in_term", ["member_a", "member_b", "member_c"], ["member_d"]),
        ("ending", ["member_c"], ["member_a", "member_d"]),
        ("ended", ["member_d"], ["member_a", "member_c"]),
        ("removed", [], ["member_a", "member_d"]),
    ],
)
def test_listing_filters(client, org, term, shown, hidden, django_assert_max_num_queries):
    login(client, "admin")
    everyone = client.get(INDEX).content.decode()
    assert all(f">{name}<" in everyone for name in ("member_a", "member_b", "member_c", "member_d"))
    with django_assert_max_num_queries(40):
        response = client.get(INDEX, {"term": term})
    html = response.content.decode()
    for username in shown:
        assert f">{username}<" in html, username
    for username in hidden:
        assert f">{username}<" not in html, username


def test_removed_filter_and_history(client, org):
    appointment = Appointment.objects.get(user__username="member_b")
    appointment.remove(reason="discipline", decided_on=date(2026, 3, 1), filing_reference="备案1")
    login(client, "admin")
    html = client.get(INDEX, {"term": "removed"}).content.decode()
    assert ">member_b<" in html and ">member_a<" not in html
    assert ModelLogEntry.objects.filter(action="gongjian.appointment_remove").exists()


def test_removal_needs_filing_reference_for_discipline(client, org):
    appointment = Appointment.objects.get(user__username="member_b")
    login(client, "admin")
    response = client.post(
        reverse("access_appointment_modeladmin_remove", args=[appointment.pk]),
        {"reason": "discipline", "decided_on": "2026-03-01"},
    )
    assert response.status_code == 400
    assert "须填写报上级备案文号" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ACTIVE


def test_only_appointment_managers_remove(client, org):
    appointment = Appointment.objects.get(user__username="member_b")
    login(client, "secretary_a")
    response = client.post(
        reverse("access_appointment_modeladmin_remove", args=[appointment.pk]),
        {"reason": "transfer", "decided_on": "2026-03-01"},
    )
    # secretary_a may not even see member_b's appointment (another community's unit).
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ACTIVE


def test_expire_appointments_tidies_hands_over_and_emails(org, monkeypatch):
    appointment = Appointment.objects.get(user__username="member_a")
    draft = Page(title="未完成的稿件", slug="unfinished", live=False, owner=appointment.user)
    org["ua"].add_child(instance=draft)
    monkeypatch.setattr(clock, "today", lambda: appointment.end_date + timedelta(days=1))
    mail.outbox.clear()

    call_command("expire_appointments", stdout=__import__("io").StringIO())

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ENDED
    assert Page.objects.get(pk=draft.pk).owner.username == "secretary_a"
    sent = [m for m in mail.outbox if "member_a@demo.gongjian.invalid" in m.to]
    assert sent and "secretary_a@demo.gongjian.invalid" in sent[0].to
    assert "未完成的稿件" in sent[0].body
    # member_d's term lapsed in the demo data too; running again changes nothing more
    ended = set(Appointment.objects.filter(status=AppointmentStatus.ENDED).values_list("pk"))
    call_command("expire_appointments", stdout=__import__("io").StringIO())
    assert (
        set(Appointment.objects.filter(status=AppointmentStatus.ENDED).values_list("pk")) == ended
    )


def test_my_units_shows_appointments_and_editable_pages(client, org, django_assert_max_num_queries):
    login(client, "member_a")
    # 31: the admin menu also asks the co-building, registrations and evaluation plugins.
    with django_assert_max_num_queries(31):
        response = client.get(reverse("access:my_units"))
    html = response.content.decode()
    assert "幸福里社区大党委" in html and "江安市第一人民医院" in html
    assert reverse("wagtailadmin_pages:edit", args=[org["ua"].pk]) in html
    assert "江北区实验小学" not in html
    assert reverse("wagtailadmin_pages:edit", args=[org["community_a"].pk]) not in html
    # the menu item is there
    assert reverse("access:my_units") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_default_end_handles_leap_day():
    assert default_end(date(2024, 2, 29)) == date(2027, 2, 27)
    assert default_end(date(2025, 3, 1)) == date(2028, 2, 29)


def test_member_sees_only_the_records_of_their_units(client, org, django_assert_max_num_queries):
    own = Appointment.objects.get(user__username="member_a")
    other = Appointment.objects.get(user__username="member_b")
    login(client, "member_a")
    with django_assert_max_num_queries(40):
        response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert ">member_a<" in html
    assert ">member_b<" not in html and ">member_c<" not in html

    inspect = "/admin/access/appointment/inspect/{}/"
    assert client.get(inspect.format(own.pk)).status_code == 200
    assert client.get(inspect.format(other.pk)).status_code in (403, 404, 302)
    # reading is all: a member does not edit appointments, not even their own
    edit = f"/admin/access/appointment/edit/{own.pk}/"
    response = client.post(edit, _data(org, user="member_a", end_date="2099-12-31"))
    assert response.status_code in (302, 403)
    own.refresh_from_db()
    assert own.end_date != date(2099, 12, 31)


def test_user_without_units_sees_no_appointments(client, org):
    User.objects.create_user("outsider").groups.add(
        *User.objects.get(username="member_a").groups.all()
    )
    login(client, "outsider")
    assert client.get(INDEX).status_code in (302, 403)


def test_appointee_can_sign_in_to_the_admin(client, org):
    """A person appointed from outside the platform gets admin access, and only their unit."""
    User.objects.create_user("new_member", password="x", email="new@demo.gongjian.invalid")
    login(client, "admin")
    response = client.post(CREATE, _data(org, user="new_member", start_date=str(clock.today())))
    assert response.status_code == 302
    login(client, "new_member")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    edit = reverse("wagtailadmin_pages:edit", args=[org["tech"].pk])
    assert client.get(edit).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[org["ua"].pk])).status_code in (
        302,
        403,
    )


def test_committee_and_unit_pages_show_their_people(client, org, django_assert_max_num_queries):
    people = "/admin/access/pages/{}/people/"
    login(client, "secretary_a")
    # 32: the admin page around the list (menus, user profile) grew by two this wave;
    # what matters here is that the count does not grow with the people listed.
    with django_assert_max_num_queries(32):
        html = client.get(people.format(org["community_a"].pk)).content.decode()
    assert "建国" in html and "江安市第一人民医院" in html  # member_a (王建国) from UA
    assert "<td>冯磊</td>" not in html  # member_d's term has ended ...
    Appointment.objects.filter(user__username="member_d").update(end_date=date(2099, 1, 1))
    html_renewed = client.get(people.format(org["community_a"].pk)).content.decode()
    assert "<td>冯磊</td>" in html_renewed  # ... and shows again when it runs
    html = client.get(people.format(org["ua"].pk)).content.decode()
    assert "幸福里社区大党委" in html and "建国" in html
    login(client, "member_b")
    assert client.get(people.format(org["community_a"].pk)).status_code in (302, 403)
