"""The access profile installs, and running it (and the demo) again changes nothing."""

import io

from django.core.management import call_command
from guardian.models import UserObjectPermission
from wagtail.models import Collection, Workflow, WorkflowPage

from plugins.access.models import Appointment, UnitCollection
from plugins.orgs.models import CityPage, CommunityPage, ResidentUnitPage


def _state():
    return (
        Appointment.objects.count(),
        UnitCollection.objects.count(),
        Collection.objects.count(),
        Workflow.objects.count(),
        WorkflowPage.objects.count(),
        UserObjectPermission.objects.count(),
    )


def test_profile_and_demo_are_idempotent(demo):
    units = ResidentUnitPage.objects.count() + CommunityPage.objects.count()
    assert UnitCollection.objects.count() == units
    assert WorkflowPage.objects.filter(page__in=CityPage.objects.all()).count() == 1
    assert Appointment.objects.count() == 4
    before = _state()
    call_command("load_demo", stdout=io.StringIO())
    call_command("setup_site", stdout=io.StringIO())
    assert _state() == before
