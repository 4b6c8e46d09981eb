"""WeChat sharing: the JS-SDK signature, the cached ticket, the config endpoint, the include.

WeChat's API is replaced by a stand-in HTTP server on 127.0.0.1 (``API_BASE`` points at
it), so the real client code runs: URL building, HTTP, JSON, errors, caching.
"""

import hashlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.staticfiles import finders

from gongjian_site import wechat
from plugins.orgs.models import CommunityPage

pytestmark = pytest.mark.django_db

# WeChat's JS-SDK documentation, appendix 1 (JS-SDK使用权限签名算法), worked example.
DOC_TICKET = (
    "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
)
DOC_NONCE = "Wm3WZYTPz0wzccnW"
DOC_TIMESTAMP = 1414587457
DOC_URL = "http://mp.weixin.qq.com?params=value"
DOC_SIGNATURE = "0f9de62fce790f9a083d5c99e95740ceb90c27ed"


def test_signature_reproduces_wechats_documented_example():
    assert wechat.signature(DOC_TICKET, DOC_NONCE, DOC_TIMESTAMP, DOC_URL) == DOC_SIGNATURE
    # The timestamp as the string the browser sends signs the same.
    assert wechat.signature(DOC_TICKET, DOC_NONCE, str(DOC_TIMESTAMP), DOC_URL) == DOC_SIGNATURE
    # Every field counts: another address is another signature.
    assert wechat.signature(DOC_TICKET, DOC_NONCE, DOC_TIMESTAMP, DOC_URL + "&x=1") != (
        DOC_SIGNATURE
    )


class FakeWeChat:
    """A stand-in for api.weixin.qq.com/cgi-bin/: answers token and getticket, records
    every request; ``answers`` can be replaced to make it refuse."""

    def __init__(self):
        self.requests = []
        self.answers = {
            "/cgi-bin/token": {"access_token": "TOKEN-1", "expires_in": 7200},
            "/cgi-bin/ticket/getticket": {
                "errcode": 0,
                "errmsg": "ok",
                "ticket": DOC_TICKET,
                "expires_in": 7200,
            },
        }
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                fake.requests.append((parts.path, parse_qs(parts.query)))
                body = json.dumps(fake.answers.get(parts.path, {"errcode": 404})).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_wechat(monkeypatch):
    fake = FakeWeChat()
    monkeypatch.setattr(wechat, "API_BASE", fake.base)
    yield fake
    fake.close()


@pytest.fixture
def configured(settings, fake_wechat):
    settings.WECHAT_APP_ID = "wx0123456789abcdef"
    settings.WECHAT_APP_SECRET = "the-secret"
    return fake_wechat


def share_element(html):
    found = re.search(r'<div id="wechat-share"[^>]*>', html)
    if not found:
        return None
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', found.group(0)))


def meta(html, prop):
    return re.search(rf'<meta property="{prop}" content="([^"]*)"', html).group(1)


def test_off_when_not_configured_nothing_rendered_nothing_asked(client, demo, settings,
                                                                fake_wechat):  # fmt: skip
    settings.WECHAT_APP_ID = ""
    settings.WECHAT_APP_SECRET = "set-but-no-id"
    page = CommunityPage.objects.get(slug="xingfuli")
    html = client.get(page.url).content.decode()
    assert share_element(html) is None
    assert "jweixin" not in html and "wechat-share.js" not in html
    response = client.get("/wechat/config/", {"url": "http://testserver" + page.url})
    assert response.status_code == 404 and response.json() == {"enabled": False}
    assert fake_wechat.requests == []


def test_page_carries_its_share_card_and_the_scripts(client, demo, configured):
    page = CommunityPage.objects.get(slug="xingfuli")
    html = client.get(page.url).content.decode()
    data = share_element(html)
    assert data["title"] == meta(html, "og:title") == page.title
    assert data["description"] == meta(html, "og:description")
    assert data["image"] == meta(html, "og:image") and data["image"].startswith("http://")
    assert data["link"] == meta(html, "og:url")
    assert data["config-url"] == "/wechat/config/"
    scripts = re.findall(r"<script([^>]*)>", html)
    sources = [re.search(r'src="([^"]+)"', attrs).group(1) for attrs in scripts]
    assert sources[-2:] == [
        "/static/default/js/jweixin-1.6.0.js",
        "/static/default/js/wechat-share.js",
    ]
    for source in sources[-2:]:  # the files exist, from this origin
        assert finders.find(source.removeprefix("/static/"))
    # Rendering the page asked WeChat nothing: the signature comes later, from the endpoint.
    assert configured.requests == []


def test_simple_theme_gets_the_same_scripts(client, demo, configured, settings):
    settings.THEME = "simple"
    html = client.get(CommunityPage.objects.get(slug="xingfuli").url).content.decode()
    assert share_element(html)["title"] == "幸福里社区大党委"
    assert "/static/default/js/wechat-share.js" in html


def test_config_signs_this_sites_address_with_a_cached_ticket(client, demo, configured):
    address = "http://testserver/xingfuli/?from=singlemessage&isappinstalled=0"
    response = client.get("/wechat/config/", {"url": address + "#top"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    config = response.json()
    assert config["appId"] == "wx0123456789abcdef"
    assert config["jsApiList"] == ["updateAppMessageShareData", "updateTimelineShareData"]
    # Computed here by hand, as WeChat's checker would: fragment dropped, nothing encoded.
    plain = (
        f"jsapi_ticket={DOC_TICKET}&noncestr={config['nonceStr']}"
        f"&timestamp={config['timestamp']}&url={address}"
    )
    assert config["signature"] == hashlib.sha1(plain.encode()).hexdigest()
    # WeChat was asked for a token with the app's credentials, then for a jsapi ticket.
    (token_path, token_query), (ticket_path, ticket_query) = configured.requests
    assert token_path == "/cgi-bin/token"
    assert token_query == {
        "grant_type": ["client_credential"],
        "appid": ["wx0123456789abcdef"],
        "secret": ["the-secret"],
    }
    assert ticket_path == "/cgi-bin/ticket/getticket"
    assert ticket_query == {"access_token": ["TOKEN-1"], "type": ["jsapi"]}
    # The next pages are signed with the cached ticket: WeChat is not asked again.
    for n in range(3):
        assert client.get("/wechat/config/", {"url": f"http://testserver/{n}/"}).status_code == 200
    assert len(configured.requests) == 2


def test_ticket_expires_before_wechats_expires_in(demo, configured, monkeypatch):
    import django.core.cache.backends.locmem as locmem

    class Clock:
        now = locmem.time.time()

        def time(self):
            return self.now

    clock = Clock()
    monkeypatch.setattr(locmem, "time", clock)
    configured.answers["/cgi-bin/ticket/getticket"]["expires_in"] = 1000
    assert wechat.jsapi_ticket() == DOC_TICKET
    assert len(configured.requests) == 2
    clock.now += 1000 - wechat.EXPIRY_MARGIN - 1
    wechat.jsapi_ticket()
    assert len(configured.requests) == 2  # still cached
    clock.now += 2  # past expires_in - margin: a new ticket, the token still cached
    wechat.jsapi_ticket()
    assert [path for path, _query in configured.requests] == [
        "/cgi-bin/token",
        "/cgi-bin/ticket/getticket",
        "/cgi-bin/ticket/getticket",
    ]


@pytest.mark.parametrize(
    "address",
    [
        None,
        "",
        "http://evil.example/xingfuli/",
        "http://testserver.evil.example/",
        "http://user@testserver/",
        "https://evil.example/?http://testserver/",
        "javascript:alert(1)//testserver",
        "ftp://testserver/",
        "//testserver/xingfuli/",
        "/xingfuli/",
        "http://testserver/\n",
        "http://testserver/\\evil",
        "http://[testserver/",
        "http://testserver/" + "a" * 3000,
    ],
)
def test_other_sites_and_bad_addresses_are_refused_in_chinese(client, configured, address):
    params = {} if address is None else {"url": address}
    response = client.get("/wechat/config/", params)
    assert response.status_code == 400
    assert response.json()["error"] == "只能为本站网页生成微信分享签名。"
    assert configured.requests == []


def test_wechat_refusing_answers_503_and_is_not_asked_again_at_once(client, configured):
    configured.answers["/cgi-bin/token"] = {"errcode": 40125, "errmsg": "invalid appsecret"}
    for _ in range(3):
        response = client.get("/wechat/config/", {"url": "http://testserver/"})
        assert response.status_code == 503
        assert response.json()["error"] == "微信接口暂时不可用，请稍后再试。"
    assert len(configured.requests) == 1  # the failure is remembered for a minute


def test_wechat_unreachable_answers_503(client, configured, monkeypatch):
    configured.close()  # nothing listens on that port any more
    response = client.get("/wechat/config/", {"url": "http://testserver/"})
    assert response.status_code == 503


def test_endpoint_takes_only_get(client, configured):
    assert client.post("/wechat/config/", {"url": "http://testserver/"}).status_code in (403, 405)


# --- In a browser: the real jweixin 1.6.0 and wechat-share.js, WeChat's bridge faked ---

WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560"
)
# What WeChat's app provides to pages: WeixinJSBridge.invoke(name, args, callback).
FAKE_BRIDGE = """
window.__bridge = [];
window.WeixinJSBridge = {
    invoke: function (name, args, callback) {
        window.__bridge.push([name, args]);
        callback({err_msg: name + ":ok", networkType: "wifi"});
    },
    on: function () {}, call: function () {}
};
document.addEventListener("securitypolicyviolation", function (event) {
    (window.__csp = window.__csp || []).push(event.violatedDirective + " " + event.blockedURI);
});
"""


def _browse(user_agent, url, wait_for):
    from tests.e2e.conftest import LAUNCH_ARGS, ensure_chromium

    pytest.importorskip("playwright", reason="playwright is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(ensure_chromium()), args=LAUNCH_ARGS, headless=True
        )
        try:
            page = browser.new_page(user_agent=user_agent)
            page.add_init_script(FAKE_BRIDGE)
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            requests = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(url)
            if wait_for:
                # Polled from here: Playwright's wait_for_function evaluates its predicate
                # with eval() in the page, which the site's CSP (no 'unsafe-eval') refuses
                # whenever the first check is false.
                deadline = time.monotonic() + 15
                while not page.evaluate(wait_for):
                    assert time.monotonic() < deadline, f"timed out waiting for {wait_for}"
                    page.wait_for_timeout(100)
            else:
                page.wait_for_load_state("networkidle")
            return {
                "bridge": page.evaluate("window.__bridge"),
                "csp": page.evaluate("window.__csp || []"),
                "errors": errors,
                "requests": requests,
            }
        finally:
            browser.close()


def test_in_wechats_browser_the_page_sets_its_share_card(
    transactional_db, demo, live_server, configured, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    page = CommunityPage.objects.get(slug="xingfuli")
    url = live_server.url + page.url + "?from=timeline#top"
    seen = _browse(
        WECHAT_UA,
        url,
        "window.__bridge.some(function (c) { return c[0] === 'updateTimelineShareData'; })",
    )
    calls = dict(seen["bridge"])
    verify = calls["preVerifyJSAPI"]
    signed = url.split("#")[0]
    assert verify["verifyAppId"] == "wx0123456789abcdef"
    assert verify["verifySignature"] == wechat.signature(
        DOC_TICKET, verify["verifyNonceStr"], verify["verifyTimestamp"], signed
    )
    assert verify["verifyJsApiList"] == wechat.JS_API_LIST
    card = calls["updateAppMessageShareData"]
    assert card["title"] == "幸福里社区大党委"
    assert card["link"] == live_server.url + page.url
    assert card["imgUrl"].startswith(live_server.url + "/static/") and card["desc"]
    assert calls["updateTimelineShareData"]["title"] == "幸福里社区大党委"
    assert seen["csp"] == [] and seen["errors"] == []
    assert all(r.startswith(live_server.url) for r in seen["requests"]), seen["requests"]


def test_outside_wechat_or_unconfigured_no_request_is_made(
    transactional_db, demo, live_server, configured, settings, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    url = live_server.url + CommunityPage.objects.get(slug="xingfuli").url
    desktop = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/116.0 Safari/537.36"
    seen = _browse(desktop, url, None)
    assert "wechat-share.js" in " ".join(seen["requests"])  # configured: the script loads
    assert not any("/wechat/config/" in r for r in seen["requests"]) and seen["bridge"] == []
    settings.WECHAT_APP_ID = ""
    seen = _browse(WECHAT_UA, url, None)
    assert not any("wechat" in r or "jweixin" in r for r in seen["requests"])
    assert seen["bridge"] == [] and configured.requests == []
