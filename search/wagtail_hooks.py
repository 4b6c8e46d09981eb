from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = "检索同义词"
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["__str__"]
    search_fields = ["terms"]


register_snippet(SynonymViewSet)
