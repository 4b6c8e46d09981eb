"""Public pages, the iCal feed and the home-page section."""

import sys
import types
from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from plugins.meetings.models import MeetingIndexPage, MeetingPage
from plugins.meetings.templatetags.meetings_tags import hide_phones
from plugins.orgs.models import CommunityPage

pytestmark = pytest.mark.django_db


def test_hide_phones():
    text = "请联系 139 1234 5678 或 0791-8812 5501，会议室 3 楼，2025年11月20日"
    hidden = hide_phones(text)
    assert "5678" not in hidden and "5501" not in hidden
    assert hidden.count("〔电话已隐去〕") == 2
    assert "2025年11月20日" in hidden and "3 楼" in hidden


def test_public_pages_ical_and_home_section(client, city, django_assert_max_num_queries):
    community = CommunityPage.objects.get(slug="xingfuli")
    index = MeetingIndexPage.objects.child_of(community).get()
    joint = MeetingPage.objects.descendant_of(community).get(kind="joint", ad_hoc=False)
    joint.minutes = "<p>会后请与李强联系，电话 13912345678。</p>"
    joint.save_revision().publish()

    # Counted warm, as a visitor meets it: the first request also creates the filing
    # footer's settings row (four queries, once per site).
    client.get(joint.url)
    with django_assert_max_num_queries(22):  # 19 measured
        response = client.get(joint.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "通报本季度需求清单认领情况" in body  # topics
    assert joint.place in body and f"{joint.date.year}年" in body
    assert "会议纪要" in body and "会后请与李强联系" in body
    assert "13912345678" not in body and "〔电话已隐去〕" in body
    assert "夜间开放内部停车场" in body  # resolution
    assert "华信科技" in body and "保留意见" in body  # recorded dissent
    assert "应到 7 人，实到 6 人" in body
    assert community.phone not in body and "8812" not in body
    assert "参加市教育局会议" not in body  # absence reasons stay in the admin

    with django_assert_max_num_queries(20):  # 17 measured
        response = client.get(index.url)
    body = response.content.decode()
    ical_url = reverse("meetings:ical", args=(community.pk,))
    assert ical_url in body and "临时党建联席会议" in body and joint.title in body

    # The theme's tag for an organisation page: upcoming meetings and the index.
    from django.template import Context, Template

    html = Template("{% load meetings_tags %}{% committee_meetings page %}").render(
        Context({"page": community})
    )
    assert "临时党建联席会议" in html and index.url in html
    assert (
        Template("{% load meetings_tags %}{% committee_meetings page %}")
        .render(Context({"page": index}))
        .strip()
        == ""
    )

    # The feed: upcoming meetings only, valid iCalendar.
    upcoming = MeetingPage.objects.get(slug="adhoc-elevator")
    with django_assert_max_num_queries(8):  # 5 measured
        response = client.get(ical_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    today = timezone.localdate()
    assert all(event.decoded("dtstart").date() >= today for event in events)
    titles = [str(event["summary"]) for event in events]
    assert f"党建联席会议：{upcoming.title}" in titles
    assert not any(joint.title in title for title in titles)  # past
    [event] = [e for e in events if upcoming.title in str(e["summary"])]
    assert event.decoded("dtstart").time() == time(14, 30)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=2)
    assert str(event["location"]) == upcoming.place
    assert "协商3号楼加装电梯资金分摊方案" in str(event["description"])
    assert str(event["uid"]).startswith(f"meeting-{upcoming.pk}@")
    assert str(calendar["x-wr-calname"]) == f"{community.title} · 会议"
    # the index's id works too; other pages and unknown ids are 404
    assert client.get(reverse("meetings:ical", args=(index.pk,))).status_code == 200
    unit = community.get_children().type(CommunityPage.__base__).first()
    assert client.get(reverse("meetings:ical", args=(unit.pk,))).status_code == 404
    assert client.get(reverse("meetings:ical", args=(999999,))).status_code == 404

    # An unpublished meeting is neither served nor in the feed.
    upcoming.unpublish()
    calendar = Calendar.from_ical(client.get(ical_url).content)
    assert upcoming.title not in str(calendar.to_ical().decode())

    # Contract 1: the home-page section, with and without the theme's HomeSection.
    from plugins.meetings.wagtail_hooks import upcoming_meetings_section

    home = community.get_ancestors().get(depth=2).specific
    saved = sys.modules.get("gongjian_site.home")

    @dataclass
    class HomeSection:
        key: str
        title: str
        template: str
        context: dict
        order: int = 100

    sys.modules["gongjian_site.home"] = types.SimpleNamespace(HomeSection=HomeSection)
    try:
        upcoming.save_revision().publish()
        section = upcoming_meetings_section(None, home)
        assert (section.key, section.order, section.title) == ("meetings", 40, "近期会议")
        assert upcoming.pk in [m.pk for m in section.context["meetings"]]
        from django.template.loader import render_to_string

        html = render_to_string(section.template, section.context)
        assert upcoming.title in html
    finally:
        if saved is None:
            sys.modules.pop("gongjian_site.home", None)
        else:
            sys.modules["gongjian_site.home"] = saved
