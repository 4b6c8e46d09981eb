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
