"""Issue 17: every record model has one policy, and every admin view of it asks it.

For one record of community A's unit UA per plugin (a resource, member_a's appointment,
member_a's annual report, a registration), each role is asked through the real admin
views (list, inspect, edit, the model's own action, the list's export) and the answer
is held against what the policy says the role may do, so a view that forgot to ask
fails here. Then the list views' query counts are held constant while the numbers of
units, records and grants grow.
"""

import io
import zipfile
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from plugins.access.grants import grant_role
from plugins.access.models import Appointment
from plugins.access.record_policy import record_policy
from plugins.cobuilding.models import Category, Resource
from plugins.evaluation.models import AnnualReport
from plugins.orgs.models import ResidentUnitPage
from plugins.registrations.models import UnitSurvey
from tests.conftest import login

ROLES = ("admin", "secretary_a", "secretary_b", "member_a", "member_b", None)
MARK = "策略矩阵专用标记"


@pytest.fixture
def records(org):
    """One record of UA / community A per plugin, each carrying ``MARK`` in its text."""
    year = date.today().year
    # The secretary of the other community (the workflows demo makes her; these lists
    # do not): the Reviewer local role on community B.
    other, created = get_user_model().objects.get_or_create(username="secretary_b")
    if created:
        from django.contrib.auth.models import Permission

        other.user_permissions.add(Permission.objects.get(codename="access_admin"))
        admin = get_user_model().objects.get(username="admin")
        grant_role(Page.objects.get(pk=org["community_b"].pk), other, "reviewer",
                   by=admin)  # fmt: skip
    resource = Resource.objects.create(
        community=org["community_a"], unit=org["ua"], year=year, title=f"{MARK}资源",
        category=Category.values[0], description="",
    )  # fmt: skip
    appointment = Appointment.objects.get(user__username="member_a")
    Appointment.objects.filter(pk=appointment.pk).update(division_of_work=f"{MARK}分工")
    report = AnnualReport.objects.create(
        user=appointment.user, committee=org["community_a"], appointment=appointment,
        year=year, title=f"{MARK}述职", body="<p>x</p>",
    )  # fmt: skip
    survey = UnitSurvey.objects.create(
        community=org["community_a"], unit=org["ua"], unit_name=f"{MARK}摸排",
        credit_code="91110000MA0000000X", party_organisation="党支部", secretary_name="王",
        party_member_count=3, kind=UnitSurvey._meta.get_field("kind").choices[0][0],
        address="地址", contact_name="李", contact_phone="13800000000",
    )  # fmt: skip
    return {
        "resource": (resource, "cobuilding/resource", "claim"),
        "appointment": (appointment, "access/appointment", "remove"),
        "report": (report, "evaluation/annualreport", None),
        "survey": (survey, "registrations/unitsurvey", None),
    }


#: What each role may do with each record (None: anonymous). The policies must say
#: the same, and the views must do what the policies say.
EXPECTED = {
    "resource": {
        "admin": {"view", "change", "claim"},
        "secretary_a": {"view", "change", "claim"},  # publishes community A's page
        "member_a": {"view", "change"},  # acts for UA; a community claims resources
        "secretary_b": set(),
        "member_b": set(),
        None: set(),
    },
    "appointment": {
        "admin": {"view", "change", "remove"},
        "secretary_a": {"view"},  # edits UA's page (under community A)
        "member_a": {"view"},
        "secretary_b": set(),
        "member_b": set(),
        None: set(),
    },
    "report": {
        "admin": {"view", "change"},
        "secretary_a": {"view", "change"},  # edits the committee's page
        "member_a": {"view", "change"},  # their own report
        "secretary_b": set(),
        "member_b": set(),
        None: set(),
    },
    "survey": {
        "admin": {"view", "change"},
        "secretary_a": {"view", "change"},
        "member_a": {"view", "change"},  # UA's registration
        "secretary_b": set(),
        "member_b": set(),
        None: set(),
    },
}


def _user(username):
    if username is None:
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return get_user_model().objects.get(username=username)


def _denied(response):
    """modeladmin's permission-denied redirect home, a login redirect, 403 or 404."""
    if response.status_code == 302:
        return "/admin/login/" in response["Location"] or response["Location"] == "/admin/"
    return response.status_code in (403, 404)


def _xlsx_text(response):
    content = b"".join(response) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(
            archive.read(n).decode("utf-8", "replace")
            for n in archive.namelist()
            if n.endswith(".xml")
        )


@pytest.mark.parametrize("key", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_every_view_does_what_the_policy_says(client, records, key, role):
    obj, base, action = records[key]
    expected = EXPECTED[key][role]
    policy = record_policy(type(obj))
    user = _user(role)
    asked = {"view", "change"} | ({action} if action else set())
    said = {a for a in asked if policy.user_has_permission_for_instance(user, a, obj)}
    assert said == expected, (key, role, said)
    if role is not None:
        login(client, role)
    admin = f"/admin/{base}/"
    listing = client.get(admin)
    if role is None:
        assert _denied(listing)
    elif listing.status_code == 200:
        shown = f'data-object-pk="{obj.pk}"' in listing.content.decode()
        assert shown == ("view" in expected), (key, role)
        export = client.get(admin, {"export": "xlsx"})
        if "view" not in expected and "spreadsheetml" in export.get("Content-Type", ""):
            assert MARK not in _xlsx_text(export), (key, role)
    else:
        assert _denied(listing) and "view" not in expected, (key, role)
    for view, right in (("inspect", "view"), ("history", "view"), ("edit", "change")):
        response = client.get(f"{admin}{view}/{obj.pk}/")
        if view == "inspect" and response.status_code == 404 and right in expected:
            continue  # the admin has no inspect view
        if right in expected:
            assert response.status_code == 200, (key, role, view)
        else:
            assert _denied(response), (key, role, view, response.status_code)
            assert MARK not in response.content.decode()
    if action:
        response = client.get(f"{admin}{action}/{obj.pk}/")
        if action in expected:
            assert response.status_code == 200, (key, role, action)
        else:
            assert _denied(response), (key, role, action, response.status_code)
            if role is not None and "view" not in expected:
                assert response.status_code == 404  # a record they may not see


def test_users_with_permission_for_instance_agree(records):
    """``users_with_permission_for_instance`` names exactly the demo users the
    per-user answer allows (among those the matrix covers)."""
    for key, (obj, _base, _action) in records.items():
        policy = record_policy(type(obj))
        named = set(
            policy.users_with_permission_for_instance("view", obj).values_list(
                "username", flat=True
            )
        )
        for role in ROLES[:-1]:
            assert (role in named) == ("view" in EXPECTED[key][role]), (key, role)


# --- Query counts: constant in the number of units, records and grants -------------


def _many_units(org, count, member):
    """``count`` more units under community A, each with a resource, an appointment of
    ``member`` to it and a local Editor grant, and as many Reviewer grants to
    secretary_a on them (more grants, more rows)."""
    year = date.today().year
    appointment = Appointment.objects.filter(user__username=member).first()
    kind = ResidentUnitPage._meta.get_field("kind").choices[0][0]
    users = get_user_model().objects
    admin, member_user = users.get(username="admin"), users.get(username=member)
    secretary = users.get(username="secretary_a")
    for n in range(count):
        unit = org["community_a"].add_child(
            instance=ResidentUnitPage(title=f"加测单位{n}", slug=f"extra-unit-{n}", kind=kind)
        )
        Resource.objects.create(
            community=org["community_a"], unit=unit, year=year, title=f"加测资源{n}",
            category=Category.values[0], description="",
        )  # fmt: skip
        if appointment is not None:
            appointment.assigned_units.add(unit)
        grant_role(Page.objects.get(pk=unit.pk), member_user, "editor", by=admin)
        grant_role(Page.objects.get(pk=unit.pk), secretary, "reviewer", by=admin)


@pytest.mark.parametrize("username", ["secretary_a", "member_a"])
@pytest.mark.parametrize(
    "path", ["/admin/cobuilding/resource/", "/admin/access/appointment/",
             "/admin/cobuilding/need/"],
)  # fmt: skip
def test_list_queries_do_not_grow_with_units_and_grants(client, org, username, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, username)
    with CaptureQueriesContext(connection) as once:
        assert client.get(path).status_code == 200
    _many_units(org, 12, username)
    login(client, username)
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    assert response.status_code == 200
    if path.endswith("resource/"):
        assert "加测资源11" in response.content.decode()
    print(f"{username} {path}: {len(once)} queries at 1x, {len(many)} with 12 more units")
    if len(many) != len(once):
        from collections import Counter

        counts = Counter(q["sql"][:300] for q in many.captured_queries)
        print([(n, sql) for sql, n in counts.items() if n > 3])
    assert len(many) == len(once), (len(once), len(many))
