"""The meeting editor (prefilled attendance, the notice warning, required absence
reasons), the reports and what a part-time member may see or change."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from plugins.meetings.models import MeetingIndexPage, MeetingPage
from plugins.orgs.models import CommitteeMember, CommunityPage, ResidentUnitPage
from tests.conftest import login

pytestmark = pytest.mark.django_db


def index_of(slug):
    return MeetingIndexPage.objects.child_of(CommunityPage.objects.get(slug=slug)).get()


def meeting_data(community, *, kind="joint", date, notice, absent_reason="病假", **extra):
    members = list(CommitteeMember.objects.filter(page=community).exclude(role="liaison"))
    rows = [
        {"member": m.pk, "person_name": m.person_name,
         "source_unit": m.source_unit_id or "", "present": "on" if i else "",
         "absence_reason": absent_reason if i == 0 else ""}
        for i, m in enumerate(members)
    ]  # fmt: skip
    for row in rows:
        if not row["present"]:
            del row["present"]
    data = {
        "title": "第四季度党建联席会议", "slug": "q4-joint", "kind": kind,
        "date": date.isoformat(), "start_time": "14:30", "end_time": "16:00",
        "place": "党群服务中心", "topics": "议题一\n议题二",
        "notice_sent_on": notice.isoformat() if notice else "",
        "notice_recipients": [ResidentUnitPage.objects.get(slug="jiangan-no1-hospital").pk],
        "minutes": rich_text("<p>纪要：联系人电话 13912345678。</p>"),
        "resolutions": streamfield([]),
        "attendances": inline_formset(rows),
        "action-publish": "publish",
    }  # fmt: skip
    data.update(extra)
    return nested_form_data(data)


def test_editor_prefills_attendance_and_warns_about_a_late_notice(
    admin_client_city, django_assert_max_num_queries
):
    community = CommunityPage.objects.get(slug="xingfuli")
    index = index_of("xingfuli")
    url = reverse("wagtailadmin_pages:add", args=("meetings", "meetingpage", index.pk))
    with django_assert_max_num_queries(45):  # 39 measured
        response = admin_client_city.get(url)
    assert response.status_code == 200
    formset = response.context["form"].formsets["attendances"]
    names = [form.initial.get("person_name") for form in formset.forms]
    assert names[:2] == ["陈晓梅", "李强"] and "冯磊" not in names  # no liaison
    assert len(names) == 7
    member_choices = formset.forms[0].fields["member"].queryset
    assert set(member_choices.values_list("page_id", flat=True)) == {community.pk}
    assert "党建联席会议的议题原则上应提前一周通知成员单位" in response.content.decode()

    # A joint meeting notified five days ahead: saved, with a warning, not an error.
    day = timezone.localdate() + timedelta(days=20)
    data = meeting_data(community, date=day, notice=day - timedelta(days=5))
    response = admin_client_city.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    meeting = MeetingPage.objects.get(slug="q4-joint")
    assert meeting.live
    assert meeting.attendances.count() == 7
    absent = meeting.attendances.get(present=False)
    assert absent.person_name == "陈晓梅" and absent.absence_reason == "病假"
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("仅 5 天" in w and "提前一周" in w for w in warnings), warnings

    # The edit view shows the same finding in the notice panel.
    edit = reverse("wagtailadmin_pages:edit", args=(meeting.pk,))
    with django_assert_max_num_queries(60):  # 49 measured
        response = admin_client_city.get(edit)
    assert "仅 5 天" in response.content.decode()


def test_absence_without_reason_is_refused_and_the_input_kept(admin_client_city):
    community = CommunityPage.objects.get(slug="xingfuli")
    index = index_of("xingfuli")
    url = reverse("wagtailadmin_pages:add", args=("meetings", "meetingpage", index.pk))
    day = timezone.localdate() + timedelta(days=20)
    data = meeting_data(community, date=day, notice=day - timedelta(days=10), absent_reason="")
    response = admin_client_city.post(url, data)
    assert response.status_code == 200
    formset = response.context["form"].formsets["attendances"]
    assert formset.forms[0].errors["absence_reason"] == ["缺席须填写缺席原因。"]
    body = response.content.decode()
    assert "缺席须填写缺席原因。" in body
    assert 'value="第四季度党建联席会议"' in body and "议题一" in body
    assert not MeetingPage.objects.filter(slug="q4-joint").exists()

    # notice after the meeting, end before start: clear messages too
    data = meeting_data(community, date=day, notice=day + timedelta(days=1), end_time="13:00")
    response = admin_client_city.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["notice_sent_on"] == ["通知发出日期不能晚于会议日期。"]
    assert errors["end_time"] == ["结束时间不能早于开始时间。"]


def test_reports_for_the_secretary_and_the_admin(client, city, django_assert_max_num_queries):
    community = CommunityPage.objects.get(slug="xingfuli")
    login(client, "secretary_a")
    with django_assert_max_num_queries(30):
        response = client.get(reverse("meetings_admin:status"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["committee"].pk for row in rows] == [community.pk]
    assert rows[0]["last_committee"] is not None
    body = response.content.decode()
    assert f'id="committee-{community.pk}"' in body
    # community B has no meetings at all, but secretary_a does not see it
    assert "光明社区" not in body

    with django_assert_max_num_queries(30):
        response = client.get(reverse("meetings_admin:attendance"))
    people = {p.person_name for p in response.context["people"]}
    assert {"王建国", "孙明", "韩雪"} <= people
    assert "陈晓梅" not in people  # the community's own cadres have no source unit

    # the committee page's header shows its mark
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(community.pk,)))
    assert re.search(r"会议：(逾期|即将到期|正常)", edit.content.decode())

    login(client, "admin")
    response = client.get(reverse("meetings_admin:status"))
    levels = {row["committee"].slug: row["level"] for row in response.context["rows"]}
    assert levels["guangming"] == "red"  # never met
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("meetings_admin:status") in menu  # in the sidebar's 报告 (Reports) menu


def test_part_time_member_sees_only_their_units_rows(client, city):
    today = timezone.localdate()
    ua = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    other = ResidentUnitPage.objects.get(slug="jiangan-no12-middle-school")
    login(client, "member_a")
    response = client.get(reverse("meetings_admin:attendance"))
    assert response.status_code == 200
    units = {p.unit_id for p in response.context["people"]}
    assert units <= {ua.pk}
    if today.month > 1 or today.day > 5:
        assert units == {ua.pk}
    # another unit's rows by URL: refused
    response = client.get(reverse("meetings_admin:attendance") + f"?unit={other.pk}")
    assert response.status_code == 403
    assert "您无权查看该单位的出席记录。" in response.content.decode()
    response = client.get(reverse("meetings_admin:attendance") + "?unit=abc&year=x")
    assert response.status_code == 403
    assert "您无权查看该单位的出席记录。" in response.content.decode()
    response = client.get(reverse("meetings_admin:attendance") + f"?unit={ua.pk}&year=1999")
    assert response.status_code == 200 and response.context["year"] == today.year
    # no committee to manage
    response = client.get(reverse("meetings_admin:status"))
    assert response.context["rows"] == []
    # the meetings themselves are the community's pages: not editable by member_a
    meeting = MeetingPage.objects.descendant_of(CommunityPage.objects.get(slug="xingfuli")).first()
    response = client.get(reverse("wagtailadmin_pages:edit", args=(meeting.pk,)))
    assert response.status_code in (302, 403)
    index = index_of("xingfuli")
    add = reverse("wagtailadmin_pages:add", args=("meetings", "meetingpage", index.pk))
    assert client.get(add).status_code in (302, 403)
    assert MeetingPage.objects.filter(pk=meeting.pk).exists()
