"""Hardening: security headers and CSP, login throttling, upload limits, and hostile input
through the real admin, which must be refused or neutralised, never answered with a 500."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from plugins.orgs.models import CommunityPage
from tests.production.helpers import form_data, multipart, rich_text


def event_handler_attributes(html):
    """Names of on* attributes on any element of ``html``, as a browser would parse it."""
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend(name for name, _value in attrs if name.startswith("on"))

    Parser().feed(html)
    return found


XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def community(demo):
    return CommunityPage.objects.order_by("path").first()


def csp(response):
    return dict(
        (part.split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split("; ")
    )


# --- headers and CSP ------------------------------------------------------------------


@pytest.mark.django_db
def test_public_pages_carry_a_strict_policy_and_need_nothing_it_forbids(client, community):
    response = client.get(community.url)
    assert response.status_code == 200
    policy = csp(response)
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    # Under script-src/style-src 'self' the theme must use no inline code at all.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html)
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")) or url.startswith(
            "http://testserver"
        ), url


@pytest.mark.django_db
def test_the_admin_gets_its_own_policy_and_loads_from_this_origin_only(
    admin_client_demo, community
):
    response = admin_client_demo.get(reverse("wagtailadmin_pages:edit", args=[community.pk]))
    assert response.status_code == 200
    policy = csp(response)
    assert "'unsafe-inline'" in policy["script-src"]  # Wagtail 8 still writes inline scripts
    assert "nonce-" not in policy["script-src"]  # a nonce would switch 'unsafe-inline' off
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'self'"
    html = response.content.decode()
    external = [
        url
        for url in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
        if url.startswith(("http://", "https://", "//"))
    ]
    assert external == []


# --- login throttling -------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_login_is_locked_after_repeated_failures(client, demo):
    login_url = reverse("wagtailadmin_login")
    for _attempt in range(3):
        response = client.post(login_url, {"username": "publicity", "password": "wrong"})
        assert response.status_code in {200, 429}
    locked = client.post(login_url, {"username": "publicity", "password": "gongjian-demo"})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    # Another account from the same address is not affected.
    other = client.post(login_url, {"username": "secretary_a", "password": "gongjian-demo"})
    assert other.status_code == 302
    assert client.session["_auth_user_id"] == str(
        get_user_model().objects.get(username="secretary_a").pk
    )


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_success_before_the_limit_resets_the_count(client, demo):
    login_url = reverse("wagtailadmin_login")
    for _attempt in range(2):
        client.post(login_url, {"username": "publicity", "password": "wrong"})
    assert client.post(login_url, {"username": "publicity", "password": "gongjian-demo"})[
        "Location"
    ].startswith("/")
    client.logout()
    for _attempt in range(2):
        client.post(login_url, {"username": "publicity", "password": "wrong"})
    response = client.post(login_url, {"username": "publicity", "password": "gongjian-demo"})
    assert response.status_code == 302


# --- CSRF -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_posts_without_a_csrf_token_are_refused(demo, community):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(get_user_model().objects.get(username="admin"))
    edit = reverse("wagtailadmin_pages:edit", args=[community.pk])
    data = form_data(strict.get(edit).content.decode(), "page-edit-form")
    data.pop("csrfmiddlewaretoken", None)
    data["title"] = "被篡改的标题"
    assert strict.post(edit, data).status_code == 403
    delete = reverse("wagtailadmin_pages:delete", args=[community.pk])
    assert strict.post(delete, {"confirm_site_name": "共建"}).status_code == 403
    assert CommunityPage.objects.get(pk=community.pk).title == community.title


# --- hostile text through the page editor -----------------------------------------------


def edit_page(client, page, publish=True, **changes):
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = form_data(client.get(edit).content.decode(), "page-edit-form")
    data.update(changes)
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(edit, data)


@pytest.mark.django_db
def test_xss_in_every_public_text_field_is_escaped_or_sanitised(admin_client_demo, community):
    response = edit_page(
        admin_client_demo,
        community,
        title=f"幸福里{XSS}",
        address=f"幸福路{XSS}",
        intro=rich_text(f"简介{XSS}", "第二段", link="javascript:alert(document.cookie)"),
        seo_title=f"标题{XSS}",
        search_description='描述"><script>alert(2)</script>',
        **{"committee_members-0-person_name": f"张{XSS}"[:50]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = CommunityPage.objects.get(pk=community.pk)
    assert page.title.startswith("幸福里<script>")  # kept as text ...
    assert "javascript:" not in page.intro  # ... but the rich text link was dropped

    html = admin_client_demo.get(page.url).content.decode()
    assert "<script>alert" not in html
    # No element carries an event handler (the payload may sit, escaped, inside an
    # attribute value such as the RSS link's title, where it is only text).
    assert not event_handler_attributes(html) and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html  # escaped text
    assert 'href="javascript:' not in html
    assert "<script>alert(2)" not in html and "&lt;script&gt;alert(2)" in html
    assert page.committee_members.filter(person_name__startswith="张<script>").exists()
    assert html.count("&lt;script&gt;alert(&quot;xss&quot;)") >= 4  # title, address, name ...
    api = admin_client_demo.get(f"/api/v2/pages/{page.pk}/?fields=address,intro")
    assert api["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_overlong_fields_are_refused_with_a_form_error(admin_client_demo, community):
    response = edit_page(admin_client_demo, community, title="长" * 300, address="址" * 300)
    assert response.status_code == 200
    html = response.content.decode()
    assert "255" in html  # Django's Chinese max-length message names the limit
    page = CommunityPage.objects.get(pk=community.pk)
    assert page.title == community.title and page.address == community.address


# --- uploads ----------------------------------------------------------------------------


def upload(client, url_name, filename, content, content_type, **fields):
    url = reverse(url_name)
    data = form_data(client.get(url).content.decode())
    data.update(fields)
    data["title"] = data.get("title") or "上传测试"
    if "description" in data:
        data["description"] = "上传测试的图片说明"
    body, multipart_type = multipart(data, {"file": (filename, content, content_type)})
    return client.generic("POST", url, body, content_type=multipart_type)


@pytest.mark.django_db
def test_svg_and_html_uploads_are_refused_in_chinese(admin_client_demo, media):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = upload(admin_client_demo, "wagtailimages:add", "logo.svg", svg, "image/svg+xml")
    assert response.status_code == 200
    assert "不支持的图片格式" in response.content.decode()
    assert not get_image_model().objects.exists()

    page = b"<html><script>alert(1)</script></html>"
    response = upload(admin_client_demo, "wagtaildocs:add", "page.html", page, "text/html")
    assert response.status_code == 200
    assert "不被允许" in response.content.decode() or "不允许" in response.content.decode()
    assert not get_document_model().objects.exists()


@pytest.mark.django_db
def test_oversized_uploads_are_refused_in_chinese(admin_client_demo, media, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 100
    response = upload(admin_client_demo, "wagtailimages:add", "big.png", png_bytes() + b"\0" * 200,
                      "image/png")  # fmt: skip
    assert response.status_code == 200
    assert "文件过大" in response.content.decode()
    response = upload(admin_client_demo, "wagtaildocs:add", "big.pdf", b"%PDF-1.4\n" + b"x" * 500,
                      "application/pdf")  # fmt: skip
    assert response.status_code == 200
    assert "文件过大" in response.content.decode()
    assert not get_image_model().objects.exists() and not get_document_model().objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filename", ["../../../evil.png", "..\\..\\evil.png", "/etc/evil.png", "sub/../../evil.png"]
)
def test_path_traversal_in_upload_names_is_neutralised(admin_client_demo, media, filename):
    response = upload(admin_client_demo, "wagtailimages:add", filename, png_bytes(), "image/png")
    assert response.status_code == 302
    image = get_image_model().objects.get()
    stored = Path(image.file.path).resolve()
    assert stored.is_relative_to(media.resolve() / "original_images")
    assert ".." not in image.file.name and "\\" not in image.file.name
    assert not (media.parent / "evil.png").exists()


@pytest.mark.django_db
def test_documents_are_served_as_attachments(admin_client_demo, media):
    response = upload(admin_client_demo, "wagtaildocs:add", "名单.txt", "张三\n".encode(),
                      "text/plain")  # fmt: skip
    assert response.status_code == 302
    document = get_document_model().objects.get()
    served = admin_client_demo.get(document.url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert served["X-Content-Type-Options"] == "nosniff"


# --- admin URL --------------------------------------------------------------------------


def test_the_admin_url_comes_from_the_environment():
    from tests.site.test_settings import manage

    result = manage(
        "shell",
        "-c",
        "from django.urls import reverse; print(reverse('wagtailadmin_home'))",
        settings_module="gongjian_site.settings.dev",
        ADMIN_URL="/guanli/",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "/guanli/"
    result = manage("check", settings_module="gongjian_site.settings.dev", ADMIN_URL="/")
    assert result.returncode != 0 and "ADMIN_URL must be" in result.stderr
