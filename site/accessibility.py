"""适老化: a 大字 (large text) and a 高对比 (high contrast) display mode for public pages.

The mode lives in a cookie, chosen with two links in every theme's header, and is
rendered on the server as classes on ``<html>``: it works without JavaScript, which
many elderly readers' WeChat browsers restrict, and costs no extra request. The page
cache keys its entries by the mode as well (``gongjian_site.pagecache``), so each
visitor gets the variant they asked for and there are at most four per page.
"""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

COOKIE = "gj_display"
MODES = ("large", "contrast")
COOKIE_AGE = 365 * 24 * 3600


def display_modes(request):
    """The modes a request asks for, in a fixed order; unknown values are ignored."""
    raw = request.COOKIES.get(COOKIE, "") if request is not None else ""
    chosen = set(raw.split("-"))
    return tuple(mode for mode in MODES if mode in chosen)


def mode_key(request):
    """A short stable string for cache keys: '' for the ordinary display."""
    return "-".join(display_modes(request))


def switch(request):
    """``/display/?toggle=large&next=/path/``: turn a mode on or off and go back.

    A GET that only sets a display preference is safe (it changes nothing stored on the
    server), so it can be a plain link that works in any browser.
    """
    modes = set(display_modes(request))
    toggle = request.GET.get("toggle", "")
    if toggle in MODES:
        modes ^= {toggle}
    elif toggle == "reset":
        modes.clear()
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/"):
        target = "/"
    response = HttpResponseRedirect(target)
    value = "-".join(mode for mode in MODES if mode in modes)
    if value:
        response.set_cookie(COOKIE, value, max_age=COOKIE_AGE, samesite="Lax")
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    response["Cache-Control"] = "no-store"
    return response
