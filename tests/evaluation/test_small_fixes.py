"""Issue 21 item 7: small things an editor saw, each in Chinese and true to the data."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from plugins.access.models import Appointment, AppointmentStatus
from plugins.cobuilding.models import Commitment
from plugins.evaluation.models import MonthlyReport
from plugins.orgs.models import DistrictPage, StreetPage
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_commitment_list_and_inspect_say_yes_or_no(client, demo):
    commitment = Commitment.objects.filter(is_public=True).first()
    login(client, "admin")
    listing = client.get("/admin/cobuilding/commitment/").content.decode()
    # Django admin's icon is not served here (its static files are not installed).
    assert "icon-yes.svg" not in listing and "icon-no.svg" not in listing
    assert "公开亮诺" in listing
    cells = re.findall(r'<td class="field-get_is_public_display[^"]*">\s*(.*?)\s*</td>', listing)
    assert cells and set(cells) <= {"是", "否"}
    page = client.get(f"/admin/cobuilding/commitment/inspect/{commitment.pk}/").content.decode()
    block = page[page.index("公开亮诺") :][:200]
    assert "是" in block and "True" not in block


def test_appointment_inspect_shows_the_removal_note(client, demo):
    appointment = Appointment.objects.filter(status=AppointmentStatus.ACTIVE).first()
    appointment.remove(
        reason="transfer",
        decided_on=timezone.localdate(),
        filing_reference="江北组〔2026〕12号",
        note="本人工作调动至市卫健委，经单位书面通知免职。",
    )
    login(client, "admin")
    page = client.get(f"/admin/access/appointment/inspect/{appointment.pk}/").content.decode()
    assert "免职说明" in page and "本人工作调动至市卫健委，经单位书面通知免职。" in page


def test_expire_appointments_dry_run_says_what_it_would_do_in_chinese(demo):
    lapsed = Appointment.objects.filter(
        status=AppointmentStatus.ACTIVE, end_date__lt=timezone.localdate()
    )
    expected = lapsed.count()
    assert expected >= 1  # member_d's term has ended
    out = io.StringIO()
    call_command("expire_appointments", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"试运行：{expected} 项任职将到期免职，未做任何更改。" in text
    assert "expired" not in text and "would end" not in text
    assert lapsed.count() == expected  # nothing changed

    out = io.StringIO()
    call_command("expire_appointments", stdout=out)
    assert f"{expected} 项任职已到期免职。" in out.getvalue()
    assert not lapsed.exists()


def test_the_current_years_monthly_grid_is_not_all_overdue(client, demo):
    today = timezone.localdate()
    district = DistrictPage.objects.get(slug="jiangbei")
    streets = StreetPage.objects.descendant_of(district)
    login(client, "admin")
    html = client.get("/admin/evaluation/monthly/").content.decode()
    assert f"{today.year}" in html
    # The demo follows the calendar: this year's due months are reported, apart from
    # 临江's deliberately missing November (overdue only in December).
    assert html.count('class="status-missing"') <= 1
    if today.month > 1 and today.day > 5:
        assert MonthlyReport.objects.filter(year=today.year, street__in=streets).exists()
    last_due = today.replace(day=1) - timedelta(days=1)
    assert MonthlyReport.objects.filter(year=today.year, month__gt=last_due.month).count() == 0
