"""Meeting QR codes, posters and scan-to-sign-in (扫码签到, plugins/meetings/signin.py)."""

from datetime import date, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from plugins.meetings import signin
from plugins.meetings.models import Attendance, MeetingIndexPage, MeetingPage, SignIn
from plugins.meetings.setup import published
from plugins.orgs.models import CommunityPage, ResidentUnitPage
from tests.conftest import login
from tests.qrcodes.helpers import assert_qr, qr_svgs

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Failure counters live in the cache, which outlives each test's database."""
    cache.clear()
    yield
    cache.clear()


def add_meeting(slug, day, rows, **fields):
    community = CommunityPage.objects.get(slug="xingfuli")
    index = MeetingIndexPage.objects.child_of(community).get()
    meeting = MeetingPage(title=f"会议 {slug}", slug=slug, kind="committee", date=day,
                          place="党群服务中心", **fields, **published())  # fmt: skip
    meeting.attendances = [Attendance(sort_order=i, **row) for i, row in enumerate(rows)]
    index.add_child(instance=meeting)
    return MeetingPage.objects.get(pk=meeting.pk)


@pytest.fixture
def today_meeting(city):
    hospital = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    rows = [
        {"person_name": "王建国", "source_unit": hospital, "phone": "139 1234 5678"},
        {"person_name": "陈晓梅", "phone": "13800001111", "present": False,
         "absence_reason": "外出开会"},
        {"person_name": "李强"},  # no phone recorded
    ]  # fmt: skip
    return add_meeting("today", timezone.localdate(), rows)


def row(meeting, name):
    return Attendance.objects.get(meeting=meeting, person_name=name)


def url_of(meeting):
    return reverse("meetings_public:sign_in", args=[signin.token_for(meeting)])


def phone_post(client, meeting, name, digits, **extra):
    data = {"way": "phone", "attendee": row(meeting, name).pk, "digits": digits}
    return client.post(url_of(meeting), data, **extra)


# --- Token and window -----------------------------------------------------------------


def test_token_is_signed_and_not_the_page_id(today_meeting):
    token = signin.token_for(today_meeting)
    assert signin.meeting_id_from(token) == today_meeting.pk
    assert str(today_meeting.pk) != token and len(token) > 40
    forged = f"{today_meeting.pk + 1}.{token.split('.', 1)[1]}"
    for bad in (forged, str(today_meeting.pk), "", "x" * 500, "1.abc", "9" * 30 + ".x"):
        assert signin.meeting_id_from(bad) is None


def test_window_from_an_hour_before_to_an_hour_after():
    day = date(2026, 3, 5)
    meeting = MeetingPage(date=day, start_time=time(14, 30), end_time=time(16, 0))
    window = signin.window_of(meeting)
    local = timezone.get_current_timezone()
    at = lambda h, m: timezone.make_aware(timezone.datetime(2026, 3, 5, h, m), local)  # noqa: E731
    assert window.state(at(13, 29)) == signin.NOT_OPEN
    assert window.state(at(13, 30)) == signin.OPEN
    assert window.state(at(17, 0)) == signin.OPEN
    assert window.state(at(17, 1)) == signin.CLOSED
    whole_day = signin.window_of(MeetingPage(date=day))
    assert whole_day.state(at(0, 0)) == signin.OPEN and whole_day.state(at(23, 59)) == signin.OPEN
    assert whole_day.state(at(0, 0) + timedelta(days=1)) == signin.CLOSED


# --- The meeting page and the posters ---------------------------------------------------


def test_meeting_page_shows_its_own_code_to_all_and_the_sign_in_code_to_organisers(
    client, today_meeting, django_assert_max_num_queries
):
    # 25 measured: routing down the tree, the page, and four for the filing footer's
    # settings row created on first read; the codes themselves cost no query.
    with django_assert_max_num_queries(26):
        response = client.get(today_meeting.url)
    body = response.content.decode()
    assert_qr(body, HOST + today_meeting.url)
    assert "扫码打开本页" in body and "打印海报" in body
    assert reverse("meetings_public:poster", args=[today_meeting.pk]) in body
    token = signin.token_for(today_meeting)
    assert token not in body and "扫码签到" not in body and len(qr_svgs(body)) == 1

    login(client, "admin")
    body = client.get(today_meeting.url).content.decode()
    assert_qr(body, HOST + url_of(today_meeting))
    assert "扫码签到" in body and "已扫码签到 0 人" in body
    assert reverse("meetings_public:sign_in_poster", args=[token]) in body

    login(client, "member_a")  # an attendee, not an organiser: no sign-in code
    assert token not in client.get(today_meeting.url).content.decode()


def test_posters_are_a4_pages_with_the_code_and_the_address(client, today_meeting):
    with open(finders.find("gongjian/poster.css"), encoding="utf-8") as css:
        assert "size: A4" in css.read()

    response = client.get(reverse("meetings_public:poster", args=[today_meeting.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "gongjian/poster.css" in body and today_meeting.title in body
    assert "幸福里社区" in body and "党群服务中心" in body
    assert_qr(body, HOST + today_meeting.url)
    assert f"{HOST}{today_meeting.url}</p>" in body  # the address in text

    poster = reverse("meetings_public:sign_in_poster", args=[signin.token_for(today_meeting)])
    response = client.get(poster)
    assert response.status_code == 302 and "login" in response["Location"]
    login(client, "member_a")
    response = client.get(poster)
    assert response.status_code == 403
    assert "只有会议组织者可以打印签到海报" in response.content.decode()
    login(client, "admin")
    response = client.get(poster)
    assert response.status_code == 200
    body = response.content.decode()
    assert_qr(body, HOST + url_of(today_meeting))
    assert f"{HOST}{url_of(today_meeting)}</p>" in body
    assert "扫码签到" in body and "手机号的后四位" in body

    for bad in ("0", "x", "99999999999999999999999", str(today_meeting.pk + 1000)):
        assert client.get(f"/huiyi/{bad}/poster/").status_code == 404


# --- Signing in -------------------------------------------------------------------------


def test_member_logged_in_signs_in_once(client, today_meeting, django_assert_max_num_queries):
    user = login(client, "member_a")  # 王建国
    # 13 measured, four of them the filing footer's settings row created on first read
    with django_assert_max_num_queries(14):
        response = client.get(url_of(today_meeting))
    assert response.status_code == 200
    assert "以当前账号签到（王建国）" in response.content.decode()
    with django_assert_max_num_queries(10):  # 9 measured, one the account's appointments
        response = client.post(url_of(today_meeting), {"way": "account"})
    assert response.status_code == 302
    record = SignIn.objects.get()
    assert (record.person_name, record.method, record.user) == ("王建国", "account", user)
    assert record.attendance == row(today_meeting, "王建国") and record.signed_in_at
    assert record.address == "127.0.0.1"
    body = client.get(response["Location"]).content.decode()
    assert "王建国，签到成功" in body and "账号登录" in body

    # again: nothing new, the first time is kept
    response = client.post(url_of(today_meeting), {"way": "account"})
    assert response.status_code == 302 and SignIn.objects.count() == 1
    assert "已于" in client.get(url_of(today_meeting)).content.decode()


def test_account_not_on_the_list_is_refused(client, today_meeting):
    login(client, "publicity")  # 谢宣传
    response = client.post(url_of(today_meeting), {"way": "account"})
    assert response.status_code == 403
    assert "不在本次会议的参会名单中" in response.content.decode()
    assert not SignIn.objects.exists()
    # not logged in at all: to the login page, nothing recorded
    client.logout()
    response = client.post(url_of(today_meeting), {"way": "account"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not SignIn.objects.exists()


def test_a_namesake_account_is_not_the_member(client, today_meeting):
    """A name proves nothing: an account called 王建国 without an appointment to this
    committee (any resident may register under that name) is not the member."""
    namesake = get_user_model().objects.create_user(
        "namesake", first_name="建国", last_name="王", password="x"
    )
    client.force_login(namesake)
    assert "以当前账号签到" not in client.get(url_of(today_meeting)).content.decode()
    response = client.post(url_of(today_meeting), {"way": "account"})
    assert response.status_code == 403 and not SignIn.objects.exists()


def test_an_officer_signs_in_the_row_without_a_source_unit(client, today_meeting):
    """The full-time secretary (no appointment, no source unit) is known by the right to
    edit the meeting; the same name on an outsider's account is not."""
    login(client, "secretary_a")  # 陈晓梅, 幸福里's secretary
    response = client.post(url_of(today_meeting), {"way": "account"})
    assert response.status_code == 302
    assert SignIn.objects.get().attendance == row(today_meeting, "陈晓梅")
    SignIn.objects.all().delete()
    outsider = get_user_model().objects.create_user(
        "outsider", first_name="晓梅", last_name="陈", password="x"
    )
    client.force_login(outsider)
    assert client.post(url_of(today_meeting), {"way": "account"}).status_code == 403
    assert not SignIn.objects.exists()


def test_phone_digits_right(client, today_meeting, django_assert_max_num_queries):
    # 11 measured, four of them the filing footer's settings row created on first read
    with django_assert_max_num_queries(12):
        response = client.get(url_of(today_meeting))
    body = response.content.decode()
    assert "陈晓梅" in body and "王建国（江安市第一人民医院）" in body
    assert "13800001111" not in body and "1111" not in body  # phones never shown

    def others():
        rows = Attendance.objects.exclude(person_name="陈晓梅").order_by("pk")
        return list(rows.values_list("pk", "meeting_id", "person_name", "present",
                                     "absence_reason", "phone"))  # fmt: skip

    before = others()
    page_before = MeetingPage.objects.filter(pk=today_meeting.pk).values().get()
    with django_assert_max_num_queries(10):  # 7 measured
        response = phone_post(client, today_meeting, "陈晓梅", "1111")
    assert response.status_code == 302
    record = SignIn.objects.get()
    assert (record.person_name, record.method, record.user) == ("陈晓梅", "phone", None)
    chen = row(today_meeting, "陈晓梅")
    assert chen.present and chen.absence_reason == ""  # marked absent beforehand: now present
    # only that row changed: not the other rows, not the page
    assert others() == before
    assert MeetingPage.objects.filter(pk=today_meeting.pk).values().get() == page_before

    # again, also with the spaces of the stored number ignored: still one record
    assert phone_post(client, today_meeting, "陈晓梅", "1111").status_code == 302
    assert SignIn.objects.count() == 1
    assert phone_post(client, today_meeting, "王建国", "5678").status_code == 302
    assert SignIn.objects.count() == 2


def test_phone_digits_wrong_then_throttled(client, today_meeting):
    response = phone_post(client, today_meeting, "陈晓梅", "0000")
    assert response.status_code == 400
    assert "手机号后四位与登记的不一致" in response.content.decode()
    for _ in range(signin.FAILURES_PER_ATTENDEE - 1):
        assert phone_post(client, today_meeting, "陈晓梅", "0000").status_code == 400
    # now even the right digits are refused, from any address: this person is closed
    response = phone_post(client, today_meeting, "陈晓梅", "1111", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "错误次数过多" in response.content.decode()
    assert not SignIn.objects.exists()
    # others still sign in
    assert phone_post(client, today_meeting, "王建国", "5678").status_code == 302


def test_one_address_cannot_try_many_people(client, city):
    rows = [{"person_name": f"委员{i}", "phone": f"1380000{i:04d}"} for i in range(10)]
    meeting = add_meeting("many", timezone.localdate(), rows)
    for i in range(signin.FAILURES_PER_ADDRESS):
        assert phone_post(client, meeting, f"委员{i}", "9999").status_code == 400
    assert phone_post(client, meeting, "委员9", "0009").status_code == 429
    assert phone_post(client, meeting, "委员9", "0009", REMOTE_ADDR="10.1.1.1").status_code == 302


def test_no_phone_recorded(client, today_meeting):
    response = phone_post(client, today_meeting, "李强", "0000")
    assert response.status_code == 403
    assert "李强未登记签到手机号" in response.content.decode()
    assert not SignIn.objects.exists()


def test_wrong_meeting_closed_and_not_yet_open(client, today_meeting):
    zhao = [{"person_name": "赵敏", "phone": "13800002222"}]
    other = add_meeting("other", timezone.localdate(), zhao)
    # an attendee of another meeting is not on this one's list
    data = {"way": "phone", "attendee": row(other, "赵敏").pk, "digits": "2222"}
    response = client.post(url_of(today_meeting), data)
    assert response.status_code == 400 and "请从名单中选择您的姓名" in response.content.decode()
    assert not SignIn.objects.exists()

    yesterday = timezone.localdate() - timedelta(days=1)
    closed = add_meeting("closed", yesterday, [{"person_name": "钱伟", "phone": "13800003333"}])
    body = client.get(url_of(closed)).content.decode()
    assert "签到已于" in body and "截止" in body and 'name="digits"' not in body
    response = phone_post(client, closed, "钱伟", "3333")
    assert response.status_code == 403 and "签到已于" in response.content.decode()

    tomorrow = timezone.localdate() + timedelta(days=1)
    later = add_meeting("later", tomorrow, [{"person_name": "钱伟", "phone": "13800003333"}])
    response = phone_post(client, later, "钱伟", "3333")
    assert response.status_code == 403 and "签到尚未开始" in response.content.decode()
    assert not SignIn.objects.exists()

    # an unpublished meeting: its token no longer opens anything
    today_meeting.unpublish()
    response = client.get(url_of(today_meeting))
    assert response.status_code == 404 and "签到二维码无效" in response.content.decode()


def test_garbage_never_answers_500(client, today_meeting):
    chen = row(today_meeting, "陈晓梅").pk
    url = url_of(today_meeting)
    posts = [
        {},
        {"way": "sms"},
        {"way": "phone"},
        {"way": "phone", "attendee": "x", "digits": "1111"},
        {"way": "phone", "attendee": "9" * 30, "digits": "1111"},
        {"way": "phone", "attendee": "-1", "digits": "1111"},
        {"way": "phone", "attendee": chen, "digits": "１１１１"},  # full-width digits
        {"way": "phone", "attendee": chen, "digits": "11111"},
        {"way": "phone", "attendee": chen, "digits": "11"},
        {"way": "phone", "attendee": chen, "digits": "abcd"},
        {"way": "phone", "attendee": chen, "digits": "1\x0011"},
        {"way": "phone", "attendee": [chen, chen], "digits": ["1111", "2"]},
    ]
    for data in posts:
        response = client.post(url, data)
        assert response.status_code == 400, data
        body = response.content.decode()
        assert "签到未成功" in body or "请选择签到方式" in body
    for token in ("x", "1", "1.2", "%00", "a" * 300, signin.token_for(today_meeting) + "x"):
        assert client.get(f"/huiyi/qiandao/{token}/").status_code == 404
        assert client.post(f"/huiyi/qiandao/{token}/", {"way": "account"}).status_code == 404
        assert client.get(f"/huiyi/qiandao/{token}/poster/").status_code == 404
    assert client.get(url + "?done=abc").status_code == 200
    assert client.get(url + "?done=99999999999999999999999").status_code == 200
    assert not SignIn.objects.exists()
    # garbage counted no wrong ending: the right digits still work
    assert phone_post(client, today_meeting, "陈晓梅", "1111").status_code == 302


def test_sign_in_clears_the_cached_meeting_page(client, today_meeting, settings):
    settings.PAGE_CACHE_SECONDS = 600
    assert "实到 2 人" in client.get(today_meeting.url).content.decode()
    client.get(today_meeting.url)  # the first render created the footer's settings row
    response = client.get(today_meeting.url)
    assert response["X-Page-Cache"] == "hit" and "实到 2 人" in response.content.decode()
    assert phone_post(client, today_meeting, "陈晓梅", "1111").status_code == 302
    response = client.get(today_meeting.url)
    assert response["X-Page-Cache"] == "miss" and "实到 3 人" in response.content.decode()


def test_editor_form_shows_scanned_sign_ins_and_carries_phones_over(client, today_meeting):
    phone_post(client, today_meeting, "陈晓梅", "1111")
    login(client, "admin")
    # the latest revision predates the sign-in: the form still ticks 出席
    today_meeting.save_revision()
    response = client.get(reverse("wagtailadmin_pages:edit", args=[today_meeting.pk]))
    formset = response.context["form"].formsets["attendances"]
    chen = next(f for f in formset.forms if f.instance.person_name == "陈晓梅")
    assert chen.initial["present"] is True and chen.initial["absence_reason"] == ""
    body = response.content.decode()
    assert "扫码签到 1 人" in body and "陈晓梅 ·" in body and "手机尾号核对" in body


def test_new_meeting_form_carries_the_last_phone_over(client, city):
    from plugins.meetings.forms import last_phones
    from plugins.orgs.models import CommitteeMember

    community = CommunityPage.objects.get(slug="xingfuli")
    seat = CommitteeMember.objects.get(page=community, person_name="王建国")
    later = timezone.localdate() + timedelta(days=200)  # after the demo's meetings
    wang = {"person_name": "王建国", "member": seat}
    add_meeting("old", later, [{**wang, "phone": "13900000001"}])
    add_meeting("newer", later + timedelta(days=30), [{**wang, "phone": "13900000002"}])
    assert last_phones([seat]) == {seat.pk: "13900000002"}
    login(client, "admin")
    index = MeetingIndexPage.objects.child_of(community).get()
    url = reverse("wagtailadmin_pages:add", args=("meetings", "meetingpage", index.pk))
    formset = client.get(url).context["form"].formsets["attendances"]
    wang = next(f for f in formset.forms if f.initial.get("person_name") == "王建国")
    assert wang.initial["phone"] == "13900000002"


def test_user_model_has_the_names_the_match_uses(city):
    user = get_user_model().objects.get(username="member_a")
    assert signin.account_name(user) == "王建国"


def test_demo_attendees_have_sign_in_phones_for_new_meetings(city):
    from plugins.meetings.demo import demo_phone
    from plugins.meetings.forms import committee_members, last_phones

    members = committee_members(CommunityPage.objects.get(slug="xingfuli"))
    phones = last_phones(members)
    assert phones and phones[members[0].pk] == demo_phone(0) == "19900002001"
    assert len(set(phones.values())) == len(phones)  # each person their own ending
