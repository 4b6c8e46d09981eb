"""Accounts (issue 15, items 11 and 12): logout only by POST and flushed on the server,
page passwords throttled like logins, and a lasting login-failure log in the admin."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import PageViewRestriction

from gongjian_site.accounts import DOCUMENT_PASSWORD_USER, PAGE_PASSWORD_USER
from plugins.orgs.models import CommunityPage

User = get_user_model()
LOGOUT = "/admin/logout/"


def logged_in(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


# --- logout -------------------------------------------------------------------------


def test_get_logout_changes_nothing(demo):
    client = logged_in("secretary_a")
    key = client.session.session_key
    response = client.get(LOGOUT)
    assert response.status_code == 405
    # Wagtail used to delete the cookie on this 405: a GET from any <img> logged out.
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert Session.objects.filter(session_key=key).exists()
    assert client.get("/admin/").status_code == 200


def test_post_logout_flushes_the_session_on_the_server(demo):
    client = logged_in("secretary_a")
    key = client.session.session_key
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = key
    assert stolen.get("/admin/").status_code == 200
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    # A copy of the old cookie is worth nothing now.
    assert stolen.get("/admin/").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_the_admin_still_offers_logout(demo):
    # Wagtail's sidebar posts to this URL (its account menu is drawn by script).
    html = logged_in("secretary_a").get("/admin/").content.decode()
    assert LOGOUT in html


# --- page passwords -------------------------------------------------------------------


@pytest.fixture
def protected(demo):
    page = CommunityPage.objects.get(slug="xingfuli")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="richtig-2024"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    return page, restriction, url


def guess(client, page, url, password):
    return client.post(url, {"password": password, "return_url": page.url})


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_wrong_page_passwords_are_throttled_like_logins(protected):
    page, restriction, url = protected
    client = Client()
    statuses = [guess(client, page, url, f"guess-{n}").status_code for n in range(3)]
    assert statuses[:2] == [200, 200]
    assert statuses[2] == 429
    # Locked: even the right password is refused now, with the Chinese lockout page.
    locked = guess(client, page, url, "richtig-2024")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert client.get(page.url).status_code == 200  # the password form, not the page
    assert "richtig" not in AccessAttempt.objects.get().post_data
    username = PAGE_PASSWORD_USER.format(restriction.pk)
    assert AccessFailureLog.objects.filter(username=username).count() == 3


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_the_right_page_password_still_works_and_resets_the_count(protected):
    page, _restriction, url = protected
    client = Client()
    guess(client, page, url, "wrong-1")
    guess(client, page, url, "wrong-2")
    response = guess(client, page, url, "richtig-2024")
    assert response.status_code == 302
    assert AccessAttempt.objects.count() == 0
    assert guess(Client(), page, url, "wrong-3").status_code == 200


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_another_address_is_not_locked_by_someone_elses_guesses(protected):
    page, _restriction, url = protected
    for n in range(3):
        guess(Client(REMOTE_ADDR="10.0.0.9"), page, url, f"guess-{n}")
    response = Client(REMOTE_ADDR="10.0.0.10").post(
        url, {"password": "richtig-2024", "return_url": page.url}
    )
    assert response.status_code == 302


# --- the failure log --------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=2)
def test_failed_logins_stay_in_the_log_after_the_lock_ends(demo, django_assert_max_num_queries):
    login_url = reverse("wagtailadmin_login")
    client = Client(REMOTE_ADDR="10.1.2.3")
    for _attempt in range(2):
        client.post(login_url, {"username": "publicity", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="publicity").exists()
    # The cool-off ends (or an administrator runs axes_reset): the counters go ...
    AccessAttempt.objects.all().delete()
    # ... the log stays, and the report shows it in Chinese.
    assert AccessFailureLog.objects.filter(username="publicity").count() == 2
    admin = logged_in("admin")
    admin.get(reverse("login_failures"))  # warm per-process caches (menus, site)
    with django_assert_max_num_queries(20):
        response = admin.get(reverse("login_failures"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "登录失败记录" in text and "publicity" in text and "10.1.2.3" in text
    assert "已锁定" in text
    filtered = admin.get(reverse("login_failures") + "?username=nobody").content.decode()
    assert "没有登录失败记录" in filtered


@pytest.mark.parametrize("value", ["%C2%B2", "9223372036854775808", "-1", "abc"])
def test_the_report_takes_odd_page_numbers(demo, value):
    response = logged_in("admin").get(reverse("login_failures") + f"?p={value}&locked=1")
    assert response.status_code == 200


def test_only_superusers_see_the_report(demo):
    admin_menu = logged_in("admin").get("/admin/").content.decode()
    assert reverse("login_failures") in admin_menu
    for username in ("secretary_a", "member_a", "orgdept"):
        client = logged_in(username)
        assert reverse("login_failures") not in client.get("/admin/").content.decode()
        response = client.get(reverse("login_failures"))
        assert response.status_code in (302, 403)
        assert "登录失败记录" not in response.content.decode()


# --- document passwords ---------------------------------------------------------------


@pytest.fixture
def protected_document(demo, settings, tmp_path):
    """A document in a collection an administrator put behind a password (Wagtail's
    collection privacy), and a page restriction with the same id."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    settings.MEDIA_ROOT = tmp_path
    collection = Collection.get_first_root_node().add_child(name="会议纪要（密码）")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="richtig-2024",
    )
    document = get_document_model().objects.create(
        title="党委会纪要",
        file=ContentFile(b"%PDF minutes", name="minutes.pdf"),
        collection=collection,
    )
    url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    return document, restriction, url


def guess_document(client, document, url, password):
    return client.post(url, {"password": password, "return_url": document.url})


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_wrong_document_passwords_are_throttled_like_logins(protected_document):
    document, restriction, url = protected_document
    client = Client()
    form = client.get(document.url)
    assert form.status_code == 200
    assert url in form.content.decode()  # the form posts to the throttled view
    statuses = [guess_document(client, document, url, f"guess-{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    locked = guess_document(client, document, url, "richtig-2024")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert b"%PDF" not in client.get(document.url).content
    username = DOCUMENT_PASSWORD_USER.format(restriction.pk)
    assert AccessFailureLog.objects.filter(username=username).count() == 3
    assert "richtig" not in AccessAttempt.objects.get().post_data
    # The report names it as a document password, not a page's.
    admin = logged_in("admin")
    assert username in admin.get(reverse("login_failures")).content.decode()


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_document_and_page_passwords_are_counted_apart(protected_document, protected):
    """Page and collection restrictions number their ids separately: guesses at one must
    not lock the other that happens to share its id."""
    document, restriction, doc_url = protected_document
    page, page_restriction, page_url = protected
    # Make the ids meet, as they do on any site with one of each.
    PageViewRestriction.objects.filter(pk=page_restriction.pk).update(id=restriction.pk)
    page_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    client = Client()
    for n in range(3):
        guess_document(client, document, doc_url, f"guess-{n}")
    assert guess(client, page, page_url, "richtig-2024").status_code == 302


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_the_right_document_password_serves_the_document(protected_document):
    document, _restriction, url = protected_document
    client = Client()
    guess_document(client, document, url, "wrong-1")
    response = guess_document(client, document, url, "richtig-2024")
    assert response.status_code == 302
    assert AccessAttempt.objects.count() == 0
    served = client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"%PDF minutes"
