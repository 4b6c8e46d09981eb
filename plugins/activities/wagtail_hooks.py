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
