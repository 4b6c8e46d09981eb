"""Every view of a record asks the record's one "may this user see it" decision.

The hardening run found ``/admin/<app>/<model>/history/<id>/`` answering 200 with the
title and edit log of other units' records (a need still awaiting moderation, residents'
registrations, annual reports, rating rounds): wagtail-modeladmin's history view asks
no permission. These tests read each record admin from the URL resolver, so a record
admin added later is held to the same rule.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import get_resolver, reverse
from wagtail.log_actions import log
from wagtail.permissions import policy_registry
from wagtail_modeladmin.options import ModelAdmin

from plugins.access import record_admin
from plugins.access.record_policy import RecordPermissionPolicy
from plugins.cobuilding.models import Need, NeedStatus
from plugins.evaluation.models import AnnualReport, RatingRound
from plugins.registrations.models import MemberCheckIn, UnitSurvey
from tests.conftest import login


def record_admins():
    """Every modeladmin instance behind an admin URL (``self.<view>`` bound methods)."""
    found = {}

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
                continue
            view = pattern.callback
            while hasattr(view, "__wrapped__"):
                view = view.__wrapped__
            owner = getattr(view, "__self__", None)
            if isinstance(owner, ModelAdmin):
                found[type(owner)] = owner

    walk(get_resolver().url_patterns)
    return list(found.values())


def test_every_record_admin_asks_its_record_permission():
    admins = record_admins()
    assert len(admins) >= 16  # appointments, 7 co-building, 3 registrations, 5 evaluation
    for admin in admins:
        # Each asks its model's record policy (issue 17), the one registered with
        # Wagtail's policy registry: every view of the admin goes through it.
        assert isinstance(admin, record_admin.RecordAdmin), type(admin)
        assert isinstance(admin.permission_helper, record_admin.PolicyPermissionHelper)
        assert isinstance(admin.policy, RecordPermissionPolicy), type(admin)
        assert policy_registry.get_by_type(admin.model, fallback=False) is admin.policy
        assert issubclass(admin.history_view_class, record_admin.RecordHistoryView)


def history_url(obj):
    meta = obj._meta
    return reverse(f"{meta.app_label}_{meta.model_name}_modeladmin_history", args=[obj.pk])


def assert_hidden(client, obj, marker):
    response = client.get(history_url(obj))
    assert response.status_code in (302, 403, 404), (type(obj).__name__, obj.pk)
    assert marker not in response.content.decode()


@pytest.fixture
def records(demo):
    """The issue's examples (all of community A in the demo, so none is member_b's or
    secretary_b's), each given a title nobody could see by chance, and a log entry (the
    history view's content)."""
    pending = Need.objects.filter(status=NeedStatus.PENDING).get()
    Need.objects.filter(pk=pending.pk).update(title="待审核的秘密需求")
    survey = UnitSurvey.objects.order_by("pk").first()
    UnitSurvey.objects.filter(pk=survey.pk).update(unit_name="幸福里社区的单位名称")
    resident = MemberCheckIn.objects.order_by("pk").first()
    MemberCheckIn.objects.filter(pk=resident.pk).update(name="幸福里居民姓名")
    report = AnnualReport.objects.order_by("pk").first()
    AnnualReport.objects.filter(pk=report.pk).update(title="别人的述职报告")
    rating = RatingRound.objects.get(report=report)
    objects = {
        "need": (Need.objects.get(pk=pending.pk), "待审核的秘密需求"),
        "survey": (UnitSurvey.objects.get(pk=survey.pk), "幸福里社区的单位名称"),
        "resident": (MemberCheckIn.objects.get(pk=resident.pk), "幸福里居民姓名"),
        "report": (AnnualReport.objects.get(pk=report.pk), "别人的述职报告"),
        "round": (rating, "别人的述职报告"),
    }
    for obj, _marker in objects.values():
        log(obj, "wagtail.edit")
    return objects


@pytest.mark.parametrize("key", ["need", "survey", "resident", "report", "round"])
def test_other_members_get_no_history_of_records_they_may_not_see(client, records, key):
    obj, marker = records[key]
    login(client, "member_b")
    assert_hidden(client, obj, marker)


def test_member_a_gets_no_history_of_a_need_awaiting_moderation(client, records):
    obj, marker = records["need"]
    login(client, "member_a")
    assert_hidden(client, obj, marker)
    # The moderated needs member_a may claim keep their history.
    public = Need.objects.exclude(status=NeedStatus.PENDING).first()
    assert client.get(history_url(public)).status_code == 200


def test_secretary_b_gets_no_history_of_community_a_records(client, records):
    login(client, "secretary_b")
    for key in ("need", "report", "round"):
        assert_hidden(client, *records[key])


@pytest.mark.parametrize("key", ["need", "survey", "resident", "report", "round"])
def test_who_may_see_a_record_still_reads_its_history(
    client, records, key, django_assert_max_num_queries
):
    obj, marker = records[key]
    client.force_login(get_user_model().objects.get(username="admin"))
    with django_assert_max_num_queries(40):
        response = client.get(history_url(obj))
    assert response.status_code == 200
    assert marker in response.content.decode()
