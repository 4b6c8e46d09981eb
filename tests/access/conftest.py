"""Fixtures for the access tests: the demo city plus one published child under each unit."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from tests.access.forms import scrape_form


@pytest.fixture
def creatable_child_pages(monkeypatch):
    """Let plain Wagtail pages be created under units.

    Nothing may be created under a resident unit until later plugins (activities,
    cases ...) add their page types; a plain page stands in for them here."""
    monkeypatch.setattr(Page, "is_creatable", True)


@pytest.fixture
def tree(demo, creatable_child_pages):
    """The pages of the matrix, with a published child page under UA and UB."""
    from plugins.orgs.models import CommunityPage, ResidentUnitPage

    pages = {
        "community_a": CommunityPage.objects.get(slug="xingfuli"),
        "community_b": CommunityPage.objects.get(slug="guangming"),
        "ua": ResidentUnitPage.objects.get(slug="jiangan-no1-hospital"),
        "ub": ResidentUnitPage.objects.get(slug="jiangbei-experimental-primary"),
    }
    for unit, key in (("ua", "ua_child"), ("ub", "ub_child")):
        child = Page(title=f"{pages[unit].title}活动动态", slug="news")
        pages[unit].add_child(instance=child)
        child.save_revision().publish()
        pages[key] = Page.objects.get(pk=child.pk)
    return pages


@pytest.fixture
def admin_form(client):
    """``admin_form(url)``: the form at ``url`` as the superuser sees it (then logs out)."""

    def read(url):
        admin = get_user_model().objects.get(username="admin")
        client.force_login(admin)
        response = client.get(url)
        assert response.status_code == 200, url
        client.logout()
        return scrape_form(response.content.decode(), "page-edit-form")

    return read
