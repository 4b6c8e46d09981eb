"""Move and copy hold the same line: inside the member's unit yes, into another unit no."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from tests.conftest import login


@pytest.fixture
def unit_pages(tree):
    folder = Page(title="医院动态", slug="folder", live=False)
    tree["ua"].add_child(instance=folder)
    draft = Page(title="义诊活动草稿", slug="draft", live=False)
    tree["ua"].add_child(instance=draft)
    return {**tree, "folder": folder, "draft": draft}


def _move(client, page, destination):
    return client.post(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, destination.pk]))


def test_member_moves_a_draft_within_own_unit_only(client, unit_pages):
    draft = unit_pages["draft"]
    login(client, "member_a")
    response = _move(client, draft, unit_pages["ub"])
    assert response.status_code in (302, 403)
    assert Page.objects.get(pk=draft.pk).get_parent().pk == unit_pages["ua"].pk

    _move(client, draft, unit_pages["folder"])
    assert Page.objects.get(pk=draft.pk).get_parent().pk == unit_pages["folder"].pk


def test_member_cannot_move_someone_elses_page(client, unit_pages):
    login(client, "member_b")
    _move(client, unit_pages["draft"], unit_pages["ub"])
    assert Page.objects.get(pk=unit_pages["draft"].pk).get_parent().pk == unit_pages["ua"].pk


def _copy(client, page, destination, slug):
    return client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {"new_title": "复制的页面", "new_slug": slug, "new_parent_page": destination.pk},
    )


def test_member_copies_within_own_unit_only(client, unit_pages):
    login(client, "member_a")
    _copy(client, unit_pages["ua_child"], unit_pages["ub"], "copied-away")
    assert not Page.objects.filter(slug="copied-away").exists()

    _copy(client, unit_pages["ua_child"], unit_pages["ua"], "copied-here")
    copy = Page.objects.get(slug="copied-here")
    assert copy.get_parent().pk == unit_pages["ua"].pk
    assert not copy.live  # an Editor's copy waits for review

    login(client, "member_b")
    response = _copy(client, unit_pages["ua_child"], unit_pages["ub"], "copied-by-b")
    assert response.status_code in (302, 403)
    assert not Page.objects.filter(slug="copied-by-b").exists()


def _bulk_unpublish(client, page):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    return client.post(f"{url}?id={page.pk}", {})


def test_bulk_unpublish_follows_the_policy(client, unit_pages):
    child = unit_pages["ua_child"]
    login(client, "member_a")  # Editor: no publish right, so no unpublish
    _bulk_unpublish(client, child)
    assert Page.objects.get(pk=child.pk).live
    login(client, "member_b")
    _bulk_unpublish(client, child)
    assert Page.objects.get(pk=child.pk).live
    login(client, "secretary_a")  # Reviewer on community A
    _bulk_unpublish(client, child)
    assert not Page.objects.get(pk=child.pk).live


def test_history_and_revisions_follow_the_policy(client, unit_pages):
    child = unit_pages["ua_child"]
    history = reverse("wagtailadmin_pages:history", args=[child.pk])
    login(client, "member_a")
    assert client.get(history).status_code == 200
    login(client, "member_b")
    assert client.get(history).status_code in (302, 403)
