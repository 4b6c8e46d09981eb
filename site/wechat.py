"""WeChat sharing: the JS-SDK's signed configuration for a page of this site.

Inside WeChat's browser a page may set its own share card (title, description, picture)
only after ``wx.config`` has been accepted, and WeChat accepts it only with a signature
made from a ``jsapi_ticket`` of the official account (公众号) whose JS interface safe
domain (JS接口安全域名) is this site's. Getting the ticket takes the account's app id and
secret, which stay on the server: the page asks ``/wechat/config/?url=…`` for the
signature of its own address, and the theme's ``js/wechat-share.js`` passes it to
``wx.config``.

Why the ticket is cached: WeChat allows an account 2,000 access tokens a day and
recommends caching both the token and the ticket (each valid for ``expires_in``, 7,200
seconds). Both are kept in Django's cache (Redis in production, shared by the workers)
for a little less than WeChat says, so a cached value never reaches its end in use;
a failed fetch is remembered for a minute so that an outage at WeChat does not spend
the day's quota on retries. Signing itself is a SHA-1 of four fields: cheap enough
that the endpoint needs no throttle of its own.

Off unless WECHAT_APP_ID and WECHAT_APP_SECRET are set: the share include renders
nothing, and the endpoint answers 404 ``{"enabled": false}``.
"""

import hashlib
import json
import logging
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("gongjian.wechat")

# Module attributes rather than settings: tests point API_BASE at a stand-in server on
# 127.0.0.1 (the real HTTP client runs; only the host differs).
API_BASE = "https://api.weixin.qq.com/cgi-bin/"
TIMEOUT = 5  # seconds; a page only waits for this in the background
# Kept this much shorter than WeChat's expires_in (at least MIN_SECONDS).
EXPIRY_MARGIN = 300
MIN_SECONDS = 60
FAILURE_SECONDS = 60
MAX_URL_LENGTH = 2048
# The interfaces the share script uses; wx.config must list them.
JS_API_LIST = ["updateAppMessageShareData", "updateTimelineShareData"]


class WeChatError(Exception):
    """WeChat's API refused or could not be reached (its message is for the log)."""


def enabled():
    """True when both the app id and the secret are configured."""
    return bool(settings.WECHAT_APP_ID and settings.WECHAT_APP_SECRET)


def signature(ticket, noncestr, timestamp, url):
    """The JS-SDK signature (WeChat's JS-SDK documentation, appendix 1): the four fields
    as ``key=value`` sorted by key (ASCII order), joined with ``&``, SHA-1 in hex.
    The values are used as they are: no URL-encoding, and ``url`` without its ``#``
    fragment (the caller strips it)."""
    fields = {"jsapi_ticket": ticket, "noncestr": noncestr, "timestamp": timestamp, "url": url}
    plain = "&".join(f"{key}={fields[key]}" for key in sorted(fields))
    return hashlib.sha1(plain.encode("utf-8")).hexdigest()  # noqa: S324 (WeChat's choice)


def http_get_json(url):
    """GET ``url`` and decode its JSON; any failure is a WeChatError."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310
            return json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise WeChatError(f"{url.split('?')[0]}: {exc}") from exc


def _cached(name, fetch_value):
    """The value cached under ``name`` for this app id, else ``fetch_value()`` →
    ``(value, expires_in)`` stored for expires_in minus the margin. A failure is
    remembered for FAILURE_SECONDS and raised again without asking WeChat."""
    key = f"gongjian:wechat:{name}:{settings.WECHAT_APP_ID}"
    found = cache.get(key)
    if found is not None:
        if found.get("error"):
            raise WeChatError(found["error"])
        return found["value"]
    try:
        value, expires_in = fetch_value()
    except WeChatError as exc:
        cache.set(key, {"error": str(exc)}, FAILURE_SECONDS)
        raise
    cache.set(key, {"value": value}, max(int(expires_in) - EXPIRY_MARGIN, MIN_SECONDS))
    return value


def _checked(answer, field):
    """``(answer[field], expires_in)``, or WeChatError when WeChat answered an error."""
    if not isinstance(answer, dict) or not answer.get(field):
        errcode = answer.get("errcode") if isinstance(answer, dict) else None
        errmsg = answer.get("errmsg") if isinstance(answer, dict) else answer
        raise WeChatError(f"WeChat error {errcode}: {errmsg}")
    expires_in = answer.get("expires_in", 7200)
    if not isinstance(expires_in, int):
        expires_in = 7200
    return answer[field], expires_in


def access_token(fetch=http_get_json):
    """The account's access token (cgi-bin/token), cached."""

    def get():
        query = urllib.parse.urlencode(
            {
                "grant_type": "client_credential",
                "appid": settings.WECHAT_APP_ID,
                "secret": settings.WECHAT_APP_SECRET,
            }
        )
        return _checked(fetch(f"{API_BASE}token?{query}"), "access_token")

    return _cached("access_token", get)


def jsapi_ticket(fetch=http_get_json):
    """The JS-SDK ticket (cgi-bin/ticket/getticket?type=jsapi), cached."""

    def get():
        query = urllib.parse.urlencode({"access_token": access_token(fetch), "type": "jsapi"})
        return _checked(fetch(f"{API_BASE}ticket/getticket?{query}"), "ticket")

    return _cached("jsapi_ticket", get)


def js_config(url, fetch=http_get_json, now=None, nonce=None):
    """What ``wx.config`` needs to sign ``url`` (already checked, fragment removed)."""
    timestamp = int(now if now is not None else time.time())
    nonce = nonce or secrets.token_hex(8)
    return {
        "enabled": True,
        "appId": settings.WECHAT_APP_ID,
        "timestamp": timestamp,
        "nonceStr": nonce,
        "signature": signature(jsapi_ticket(fetch), nonce, timestamp, url),
        "jsApiList": JS_API_LIST,
    }


def page_url(request, value):
    """``value`` without its fragment when it is an http(s) address on the host serving
    ``request``; else None. Only this site's pages are signed: a signature for another
    host would lend the account to it."""
    if not isinstance(value, str) or not value or len(value) > MAX_URL_LENGTH:
        return None
    if any(ord(char) < 0x21 or char == "\\" for char in value):
        return None  # browsers send these escaped; raw, they only confuse parsers
    url = value.split("#", 1)[0]  # signed exactly as the page sends it, less the fragment
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != request.get_host().lower():
        return None
    return url


def _error(message, status):
    return JsonResponse({"enabled": True, "error": message}, status=status)


@never_cache
@require_GET
def config_view(request):
    """``GET /wechat/config/?url=<this page's address>``: the signed wx.config fields.

    404 ``{"enabled": false}`` when sharing is not configured; 400 for an address of
    another site; 503 when WeChat cannot be reached (the page keeps WeChat's default
    card). Never cached: each answer is signed for one address and one moment."""
    if not enabled():
        return JsonResponse({"enabled": False}, status=404)
    url = page_url(request, request.GET.get("url"))
    if url is None:
        return _error("只能为本站网页生成微信分享签名。", 400)
    try:
        return JsonResponse(js_config(url))
    except WeChatError:
        logger.warning("wechat: no jsapi ticket", exc_info=True)
        return _error("微信接口暂时不可用，请稍后再试。", 503)


# Included by gongjian_site.urls under "wechat/".
urlpatterns = [path("config/", config_view, name="wechat_config")]
