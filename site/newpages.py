"""新建: add a case, an activity or a compilation under the editor's own organisation.

Cases and activities are listed on index pages (典型案例, 活动记录) but live under the
organisation that wrote them, so Wagtail offers no "add child page" on the index, and an
editor had to find their own unit in the tree first. ``/admin/new/<app>/<model>/``
finds it for them: the topmost organisation pages they may edit where the type may be
created (a part-time member: their unit; district publicity staff: the district); with
one, it opens Wagtail's create view there, with several it lets them choose.

The buttons that lead here are registered by the plugins owning the types (the index
pages' header buttons) and the 新建 admin menu (``NEW_PAGE_TYPES``).
"""

from django.apps import apps
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page
from wagtail.permissions import policy_registry

#: The types the 新建 menu offers, in its order.
NEW_PAGE_TYPES = [
    ("cases", "casepage", gettext_lazy("典型案例")),
    ("activities", "activitypage", gettext_lazy("活动记录")),
    ("compilations", "compilationpage", gettext_lazy("经验汇编")),
]


def new_page_url(page_class):
    return reverse("new_page", args=[page_class._meta.app_label, page_class._meta.model_name])


def own_organisations(user, page_class):
    """The topmost pages ``user`` may add a ``page_class`` under, as a list by path:
    below one of them every page is theirs too, so the topmost is their own."""
    from django.contrib.contenttypes.models import ContentType

    parent_types = ContentType.objects.get_for_models(
        *page_class.allowed_parent_page_models()
    ).values()
    editable = (
        policy_registry.get_by_type(Page)
        .instances_user_has_any_permission_for(user, {"add", "change"})
        .filter(content_type__in=list(parent_types))
        .order_by("path")
    )
    topmost = []
    for page in editable.only("id", "path", "depth", "title", "content_type"):
        if topmost and page.path.startswith(topmost[-1].path):
            continue
        topmost.append(page)
    pages = [page.specific_deferred for page in topmost]
    return [
        page
        for page in pages
        if page_class.can_create_at(page) and page.permissions_for_user(user).can_add_subpage()
    ]


def new_page(request, app_label, model_name):
    try:
        page_class = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if not (isinstance(page_class, type) and issubclass(page_class, Page)):
        raise Http404
    parents = own_organisations(request.user, page_class)
    name = page_class._meta.verbose_name
    if len(parents) == 1:
        return redirect("wagtailadmin_pages:add", app_label, model_name, parents[0].pk)
    return TemplateResponse(
        request,
        "gongjian/admin/new_page.html",
        {
            "name": name,
            "title": _("新建%(name)s") % {"name": name},
            "choices": [
                (page, reverse("wagtailadmin_pages:add", args=[app_label, model_name, page.pk]))
                for page in parents
            ],
        },
        status=200 if parents else 403,
    )
