from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ActivityKind


class ActivityKindViewSet(SnippetViewSet):
    model = ActivityKind
    icon = "tag"
    menu_label = _("活动类型")
    menu_name = "activity_kinds"
    add_to_admin_menu = False
    list_display = ["name", "sort_order"]
    ordering = ["sort_order", "name"]


register_snippet(ActivityKindViewSet)


@hooks.register("register_archive_types")
def archive_types():
    """Searchable in the archive search (search/documents.py)."""
    from .models import ActivityPage

    return [(ActivityPage, "activity", _("活动记录"))]


@hooks.register("gongjian_home_sections")
def home_section(request, home_page):
    """The latest activities anywhere under the home page."""
    try:
        from gongjian_site.home import HomeSection
    except ImportError:
        return None
    from .models import ActivityIndexPage, activities_of, attach_organisers

    activities = attach_organisers(list(activities_of(home_page)[:6]))
    if not activities:
        return None
    return HomeSection(
        key="latest_activities",
        title=_("最新活动"),
        template="activities/includes/latest_activities.html",
        context={
            "activities": activities,
            "index": ActivityIndexPage.objects.live().child_of(home_page).first(),
        },
        order=20,
    )


@hooks.register("gongjian_organisation_links")
def organisation_link(request, organisation):
    """活动记录: the organisation's own activities, in the nearest activity index."""
    from gongjian_site.navigation import OrganisationLink, is_child_of, nearest_index

    from .models import ActivityIndexPage, ActivityPage

    # Two cheap queries: the link only needs to exist and point at the right index
    # (the index itself applies every visibility rule to what it lists).
    if not ActivityPage.objects.live().descendant_of(organisation).exists():
        return None
    index = nearest_index(ActivityIndexPage.objects.live(), organisation)
    if index is None:
        return None
    url = index.get_url(request)
    if not is_child_of(index, organisation):
        url += f"?organisation={organisation.pk}"
    return OrganisationLink(key="activities", title=_("活动记录"), url=url, order=10)


@hooks.register("gongjian_sitemap_urls")
def sitemap_urls(request, site_root):
    """The activity feeds (RSS) of the site and of every organisation that organises
    activities."""
    from django.urls import reverse
    from wagtail.models import Page

    from gongjian_site.navigation import SitemapUrl
    from plugins.orgs.models import OrganisationPage

    from .models import ActivityPage

    step = Page.steplen
    parents = {
        path[:-step]
        for path in ActivityPage.objects.live().public().descendant_of(site_root)
        .values_list("path", flat=True)
    }  # fmt: skip
    organisers = (
        OrganisationPage.objects.live().public().filter(path__in=parents | {site_root.path})
    )
    return [
        SitemapUrl(reverse("activities:feed", args=[pk]), changefreq="daily")
        for pk in organisers.values_list("pk", flat=True)
    ]


@hooks.register("register_page_header_buttons")
def new_activity_button(page, user, view_name, next_url=None):
    """新建活动记录 on the activity index: activities live under their organisation, not
    under the index; this opens the create view under the editor's own."""
    from .models import ActivityIndexPage, ActivityPage

    if page.specific_class is ActivityIndexPage:
        from wagtail.admin.widgets import Button

        from gongjian_site.newpages import new_page_url

        yield Button(_("新建活动记录"), new_page_url(ActivityPage), icon_name="plus", priority=1)
