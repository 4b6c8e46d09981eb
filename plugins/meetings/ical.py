"""iCal feed of a committee's upcoming meetings, for members' phone calendars."""

from datetime import datetime, timedelta

from django.http import Http404, HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event
from wagtail.models import Page

from plugins.orgs.models import CommunityPage, StreetPage

from .models import MeetingIndexPage, MeetingPage

FEED_SIZE = 50
DEFAULT_LENGTH = timedelta(hours=2)


def committee_page(page_id):
    """The live, public committee (or its meeting index) with this id, else 404."""
    page = Page.objects.live().public().filter(pk=page_id).specific().first()
    if page is None:
        raise Http404("没有这个组织")
    if isinstance(page, MeetingIndexPage):
        page = page.get_parent()
    if not isinstance(page.specific, (CommunityPage, StreetPage)):
        raise Http404("只有社区大党委和街道党工委有会议日程")
    return page


def build_calendar(committee, request=None, today=None):
    """A VCALENDAR with one VEVENT per upcoming live, public meeting of ``committee``."""
    today = today or timezone.localdate()
    meetings = (
        MeetingPage.objects.live().public().descendant_of(committee)
        .filter(date__gte=today).order_by("date", "start_time", "pk")[:FEED_SIZE]
    )  # fmt: skip
    calendar = Calendar()
    calendar.add("prodid", "-//Gongjian//meetings//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{committee.title} · 会议")
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    host = request.get_host() if request else "gongjian"
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", f"{meeting.get_kind_display()}：{meeting.title}")
        if meeting.start_time:
            start = meeting.starts_at
            event.add("dtstart", start)
            if meeting.end_time:
                end = timezone.make_aware(datetime.combine(meeting.date, meeting.end_time))
            else:
                end = start + DEFAULT_LENGTH
            event.add("dtend", end)
        else:
            event.add("dtstart", meeting.date)  # an all-day event
            event.add("dtend", meeting.date + timedelta(days=1))
        if meeting.place:
            event.add("location", meeting.place)
        if meeting.topic_list:
            event.add("description", "议题：\n" + "\n".join(meeting.topic_list))
        url = meeting.get_full_url(request)
        if url:
            event.add("url", url)
        calendar.add_component(event)
    return calendar


def meetings_ical(request, page_id):
    committee = committee_page(page_id)
    response = HttpResponse(build_calendar(committee, request).to_ical(),
                            content_type="text/calendar; charset=utf-8")  # fmt: skip
    response["Content-Disposition"] = f'inline; filename="meetings-{committee.pk}.ics"'
    return response
