"""The two-query routing (gongjian_site.routing) finds what Wagtail's level-by-level
walk finds, for every page of the demo and for addresses it must refuse."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from gongjian_site import routing
from plugins.activities.models import ActivityPage
from plugins.compilations.models import CompilationPage

pytestmark = pytest.mark.django_db


def route(path):
    """(page id, args, kwargs) the site's root finds for ``path``, or 404."""
    request = RequestFactory().get(path)
    root = Site.objects.get(is_default_site=True).root_page.specific
    try:
        page, args, kwargs = root.route(request, [part for part in path.split("/") if part])
    except Http404:
        return 404
    # a routable page answers with its bound view: compare the view's name
    args = tuple(getattr(arg, "__name__", arg) for arg in args)
    return page.pk, args, dict(kwargs)


def addresses(root):
    pages = Page.objects.descendant_of(root).order_by("path")
    paths = [page.url_path[len(root.url_path) - 1 :] for page in pages]
    compilation = CompilationPage.objects.live().first()
    extra = [
        "/no-such-page/",
        "/jiangbei/no-such-page/",
        paths[-1] + "deeper/",
        compilation.url_path[len(root.url_path) - 1 :] + "export/docx/",  # a routable sub-path
    ]
    return paths + extra


def test_every_address_routes_as_wagtail_walks_it(demo, monkeypatch):
    root = Site.objects.get(is_default_site=True).root_page
    # An unpublished page in the middle of the tree: the walk passes through it.
    activity = ActivityPage.objects.live().order_by("-depth").first()
    activity.get_parent().unpublish()
    paths = addresses(root)
    fast = {path: route(path) for path in paths}
    monkeypatch.setattr(routing, "fast_route", lambda *args: None)  # Wagtail's walk alone
    walked = {path: route(path) for path in paths}
    assert fast == walked
    assert fast[paths[-1]] != 404  # the export view was reached through the routable page
    assert sum(result == 404 for result in fast.values()) >= 3


def test_a_deep_page_routes_in_a_constant_number_of_queries(demo):
    activity = ActivityPage.objects.live().order_by("-depth").first()
    assert activity.depth >= 7
    request = RequestFactory().get(activity.url)
    root = Site.objects.get(is_default_site=True).root_page.specific
    parts = [part for part in activity.url_path.split("/") if part][1:]
    with CaptureQueriesContext(connection) as captured:
        page, _args, _kwargs = root.route(request, parts)
        parent = page.get_parent()  # known from the chain, as Wagtail's walk leaves it
    assert page.pk == activity.pk and parent.pk == activity.get_parent().pk
    assert len(captured) == 2, [q["sql"] for q in captured]
