"""Accounts: logout by POST only, page passwords throttled like logins, the failure log.

- Wagtail's LogoutView answers a GET with 405 but deletes the session cookie anyway
  (its ``dispatch`` does so whatever the answer): any page could log a user out with an
  ``<img src="/admin/logout/">``. ``LogoutView`` here refuses every method but POST
  before Wagtail's code runs; a POST goes through Django's ``logout()``, which flushes
  the session on the server (row or cache entry deleted), not only the cookie.
- Page passwords (``/_util/authenticate_with_password/…``) and private-document
  passwords were not throttled at all. Both go through django-axes, the mechanism the
  login already uses: a wrong password counts as a login failure of the pseudo-user
  ``页面密码:<restriction id>`` (a page's) or ``文档密码:<restriction id>`` (a
  collection's: the two kinds of restriction number their ids apart, so one name for
  both would let guesses at one lock the other) from that address, so the same limit
  (LOGIN_FAILURE_LIMIT), cool-off (LOGIN_COOLOFF_MINUTES), 429 page and reset command
  apply, and the failure is logged.
- axes deletes its attempt counters when the cool-off ends; its AccessFailureLog keeps
  one row per failure (AXES_ENABLE_ACCESS_FAILURE_LOG), which ``LoginFailureReport``
  shows in the admin under 报告 › 登录失败记录 to superusers.
"""

from functools import wraps

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from axes.models import AccessFailureLog
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.views.decorators.debug import sensitive_post_parameters
from wagtail.admin.views.account import LogoutView as WagtailLogoutView

from .params import parse_int

PAGE_PASSWORD_USER = "页面密码:{}"
DOCUMENT_PASSWORD_USER = "文档密码:{}"


class LogoutView(WagtailLogoutView):
    """Wagtail's logout, for POST only; a GET changes nothing (405, cookie kept)."""

    http_method_names = ["post", "options"]

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


def throttled_password_view(view):
    """Wrap a Wagtail password-form view (page or document restriction) with axes.

    The view answers a right password with a redirect and a wrong one by showing the
    form again; only POSTs count.
    """

    @sensitive_post_parameters("password")
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST" or not settings.AXES_ENABLED:
            return view(request, *args, **kwargs)
        if "page_view_restriction_id" in kwargs:
            username = PAGE_PASSWORD_USER.format(kwargs["page_view_restriction_id"])
        else:
            username = DOCUMENT_PASSWORD_USER.format(kwargs["restriction_id"])
        credentials = {"username": username}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, credentials=credentials)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:  # the form again: a wrong password
            AxesProxyHandler.user_login_failed(
                sender=throttled_password_view, credentials=credentials, request=request
            )
            if getattr(request, "axes_locked_out", False):
                return get_lockout_response(request, credentials=credentials)
        elif response.status_code in (301, 302) and settings.AXES_RESET_ON_SUCCESS:
            AxesProxyHandler.reset_attempts(
                username=credentials["username"], ip_address=request.axes_ip_address
            )
        return response

    return wrapper


REPORT_PAGE_SIZE = 50


def login_failure_report(request):
    """报告 › 登录失败记录: every failed login and page password, newest first."""
    if not request.user.is_superuser:
        raise PermissionDenied
    failures = AccessFailureLog.objects.order_by("-attempt_time", "-pk")
    username = request.GET.get("username", "").strip()[:150]
    if username:
        failures = failures.filter(username__icontains=username)
    if request.GET.get("locked") == "1":
        failures = failures.filter(locked_out=True)
    page = Paginator(failures, REPORT_PAGE_SIZE).get_page(parse_int(request.GET.get("p"), 1))
    return TemplateResponse(
        request,
        "gongjian/admin/login_failures.html",
        {
            "page_obj": page,
            "failures": page.object_list,
            "username": username,
            "locked": request.GET.get("locked") == "1",
            "limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )
