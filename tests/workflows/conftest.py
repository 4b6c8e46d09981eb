"""Fixtures for the workflow runs: the demo city, the admin form scraper, helpers."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page, TaskState

from tests.access.forms import scrape_form
from tests.conftest import login


@pytest.fixture
def pages(demo):
    from plugins.orgs.models import CommunityPage, ResidentUnitPage

    return {
        "community_a": CommunityPage.objects.get(slug="xingfuli"),
        "community_b": CommunityPage.objects.get(slug="guangming"),
        "ua": ResidentUnitPage.objects.get(slug="jiangan-no1-hospital"),
        "ub": ResidentUnitPage.objects.get(slug="jiangbei-experimental-primary"),
    }


@pytest.fixture
def edit_form(client):
    """``edit_form(page)``: the edit form of ``page`` as the superuser sees it."""

    def read(page):
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        client.force_login(get_user_model().objects.get(username="admin"))
        response = client.get(url)
        assert response.status_code == 200, url
        client.logout()
        return scrape_form(response.content.decode(), "page-edit-form")

    return read


@pytest.fixture
def submit(client, edit_form):
    """``submit(page, username, **fields)``: the user edits and submits through the edit view."""

    def run(page, username, action="action-submit", **fields):
        data = edit_form(page)
        login(client, username)
        data.update(fields)
        data[action] = action
        return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)

    return run


def current_state(page):
    return (
        TaskState.objects.filter(workflow_state__object_id=str(page.pk))
        .order_by("-pk").select_related("task").first()
    )  # fmt: skip


def act(client, page, state, action, username, comment=None, **extra):
    login(client, username)
    data = {} if comment is None else {"comment": comment}
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, state.pk]),
        data,
        **extra,
    )


def live_title(page):
    return Page.objects.get(pk=page.pk).title
