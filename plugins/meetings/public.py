"""Public meeting views outside the page tree: the meeting's poster, the sign-in page
(扫码签到) and its poster. Mounted at /huiyi/ (site/urls.py).

The meeting page itself stays a Wagtail page (cached for anonymous readers); it shows
a code of its own address to everyone, and the sign-in code only to those who may edit
the meeting, who print its poster for the meeting room (see signin.py for why).
"""

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.validators import RegexValidator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from gongjian_site.params import parse_id
from gongjian_site.qrcodes import render_poster

from . import signin
from .models import Attendance, MeetingPage, SignInMethod


def _date_text(meeting):
    text = f"{meeting.date.year}年{meeting.date.month}月{meeting.date.day}日"
    if meeting.start_time:
        text += f" {meeting.start_time:%H:%M}"
        if meeting.end_time:
            text += f"–{meeting.end_time:%H:%M}"
    return text


def _public_meeting(page_id):
    meeting_id = parse_id(page_id)
    meeting = (
        MeetingPage.objects.live().public().filter(pk=meeting_id).first() if meeting_id else None
    )
    if meeting is None:
        raise Http404(_("没有找到这次会议"))
    return meeting


def meeting_poster(request, page_id):
    """A4 poster of a public meeting page (its notice: date, place, code of the page)."""
    meeting = _public_meeting(page_id)
    committee = meeting.committee
    subtitle = _date_text(meeting) + (f" · {meeting.place}" if meeting.place else "")
    return render_poster(
        request,
        heading=meeting.title,
        organisation=committee.title if committee else "",
        subtitle=subtitle,
        target_url=meeting.url,
        caption=_("扫码查看会议议题与纪要"),
        steps=[
            _("用手机微信或相机扫描上方二维码。"),
            _("在打开的页面查看会议时间、地点、议题，会后可查看会议纪要和决议。"),
        ],
        back_url=meeting.url,
        back_label=_("会议页面"),
    )


# --- Sign-in --------------------------------------------------------------------------


class PhoneSignInForm(forms.Form):
    """Name from the attendance list and the last four digits of the recorded phone."""

    attendee = forms.TypedChoiceField(
        label=gettext_lazy("姓名"),
        coerce=int,
        empty_value=None,
        error_messages={
            "required": gettext_lazy("请选择您的姓名。"),
            "invalid_choice": gettext_lazy("请从名单中选择您的姓名。"),
        },
    )
    digits = forms.CharField(
        label=gettext_lazy("登记手机号后四位"),
        max_length=4,
        min_length=4,
        strip=True,
        validators=[RegexValidator(r"^[0-9]{4}$", gettext_lazy("请输入4位数字。"))],
        error_messages={
            "required": gettext_lazy("请输入登记手机号的后四位。"),
            "min_length": gettext_lazy("请输入4位数字。"),
            "max_length": gettext_lazy("请输入4位数字。"),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}
        ),
    )

    def __init__(self, rows, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = {row.pk: row for row in rows}
        self.fields["attendee"].choices = [("", _("请选择"))] + [
            (row.pk, _label(row)) for row in rows
        ]


def _label(row):
    unit = row.source_unit.title if row.source_unit_id and row.source_unit else ""
    return f"{row.person_name}（{unit}）" if unit else row.person_name


def _meeting_for_token(token):
    meeting_id = signin.meeting_id_from(token)
    if meeting_id is None:
        return None
    return MeetingPage.objects.live().filter(pk=meeting_id).first()


def _invalid(request):
    return TemplateResponse(
        request,
        "meetings/signin.html",
        {"invalid": True, "message": _("签到二维码无效或会议已取消，请向会议组织者核实。")},
        status=404,
    )


@never_cache
@csrf_protect
def sign_in(request, token):
    """The sign-in page of one meeting: GET shows it, POST signs in (``way`` = account
    or phone). Every answer is a page in Chinese; nothing here answers 500."""
    meeting = _meeting_for_token(token)
    if meeting is None:
        return _invalid(request)
    window = signin.window_of(meeting)
    state = window.state(timezone.now())
    rows = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("source_unit", "sign_in")
        .order_by("sort_order", "pk")
    )
    user = request.user
    mine = signin.attendance_for_user(user, meeting, rows) if user.is_authenticated else None
    context = {
        "meeting": meeting,
        "date_text": _date_text(meeting),
        "window": window,
        "state": state,
        "rows": rows,
        "signed_count": sum(1 for row in rows if _sign_in_of(row)),
        "mine": mine,
        "mine_sign_in": _sign_in_of(mine),
        "form": PhoneSignInForm(rows),
        "message": "",
        "error": "",
        "done": None,
    }
    if request.method == "POST":
        return _post(request, meeting, state, window, rows, mine, context)
    if request.GET.get("done"):
        done = parse_id(request.GET.get("done"))
        context["done"] = next((row for row in rows if row.pk == done and _sign_in_of(row)), None)
    return TemplateResponse(request, "meetings/signin.html", context)


def _sign_in_of(row):
    if row is None:
        return None
    try:
        return row.sign_in
    except Attendance.sign_in.RelatedObjectDoesNotExist:
        return None


def _post(request, meeting, state, window, rows, mine, context):
    def refuse(error, status):
        context["error"] = error
        return TemplateResponse(request, "meetings/signin.html", context, status=status)

    if state == signin.NOT_OPEN:
        return refuse(_("签到尚未开始，将于 %(at)s 开始。") % {"at": _when(window.opens)}, 403)
    if state == signin.CLOSED:
        return refuse(_("本次会议签到已于 %(at)s 截止。") % {"at": _when(window.closes)}, 403)
    if not rows:
        return refuse(_("本次会议尚未登记参会人员名单，请联系会议组织者签到。"), 403)
    way = request.POST.get("way")
    if way == "account":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if mine is None:
            return refuse(
                _(
                    "您的账号（%(name)s）不在本次会议的参会名单中，无需签到；"
                    "如有误，请联系会议组织者。"
                )
                % {"name": signin.account_name(request.user) or request.user.get_username()},
                403,
            )
        if _sign_in_of(mine) is None:
            signin.record(request, meeting, mine, SignInMethod.ACCOUNT, request.user)
        return _done(meeting, mine)
    if way != "phone":
        return refuse(_("请选择签到方式。"), 400)
    form = PhoneSignInForm(rows, request.POST)
    context["form"] = form
    if not form.is_valid():
        return refuse(_("签到未成功，请按提示修改。"), 400)
    row = form.rows.get(form.cleaned_data["attendee"])
    if row is None:  # the choice list is the rows: cannot happen, but never a 500
        return refuse(_("请从名单中选择您的姓名。"), 400)
    if signin.phone_way_closed(request, meeting, row.pk):
        return refuse(
            _("手机尾号核对错误次数过多，请一小时后再试，或登录账号签到、请会议组织者登记出席。"),
            429,
        )
    if not row.phone:
        return refuse(
            _("%(name)s未登记签到手机号，请登录账号签到或请会议组织者登记出席。")
            % {"name": row.person_name},
            403,
        )
    if not signin.phone_matches(row, form.cleaned_data["digits"]):
        signin.count_failure(request, meeting, row.pk)
        form.add_error("digits", _("手机号后四位与登记的不一致。"))
        return refuse(_("签到未成功：手机号后四位与登记的不一致。"), 400)
    if _sign_in_of(row) is None:
        signin.record(request, meeting, row, SignInMethod.PHONE)
    return _done(meeting, row)


def _done(meeting, row):
    # Post/redirect/get: a reload does not post again (and would change nothing anyway).
    url = reverse("meetings_public:sign_in", args=[signin.token_for(meeting)])
    return redirect(f"{url}?done={row.pk}")


def _when(moment):
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def sign_in_poster(request, token):
    """A4 poster of the sign-in code, for the meeting room. Only for those who may edit
    the meeting: the token is what keeps strangers from the sign-in page."""
    meeting = _meeting_for_token(token)
    if meeting is None:
        return _invalid(request)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not meeting.permissions_for_user(request.user).can_edit():
        return TemplateResponse(
            request,
            "meetings/signin.html",
            {"invalid": True, "message": _("只有会议组织者可以打印签到海报。")},
            status=403,
        )
    committee = meeting.committee
    window = signin.window_of(meeting)
    return render_poster(
        request,
        heading=_("%(title)s · 扫码签到") % {"title": meeting.title},
        organisation=committee.title if committee else "",
        subtitle=_date_text(meeting) + (f" · {meeting.place}" if meeting.place else ""),
        target_url=reverse("meetings_public:sign_in", args=[signin.token_for(meeting)]),
        caption=_("扫码签到"),
        steps=[
            _("参会人员用手机微信或相机扫描上方二维码。"),
            _("已有本平台账号的，登录后点“以当前账号签到”。"),
            _("未登录的，选择本人姓名，输入登记手机号的后四位即可签到。"),
            _("签到时间：%(opens)s 至 %(closes)s。")
            % {"opens": _when(window.opens), "closes": _when(window.closes)},
        ],
        note=_("本二维码仅限本次会议签到使用，请勿转发。"),
        back_url=meeting.url,
        back_label=_("会议页面"),
    )
