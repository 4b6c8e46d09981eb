"""Page-tree filters for the page policy: subtrees as one query SQLite accepts, and
subtrees hidden from the explorer (the recycle bin) left out.

Kept apart from ``policy`` because they are plain ``Q``/queryset builders on page paths,
independent of who the user is or where their grants come from.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q


def _hidden_content_types():
    from wagtail.models import get_page_models

    models = [m for m in get_page_models() if getattr(m, "hidden_from_explorer", False)]
    return list(ContentType.objects.get_for_models(*models).values()) if models else []


def _without_hidden_subtrees(queryset):
    content_types = _hidden_content_types()
    if not content_types:
        return queryset
    paths = list(
        queryset.model._default_manager.filter(content_type__in=content_types).values_list(
            "path", flat=True
        )
    )
    return queryset.exclude(_or_startswith(paths)) if paths else queryset


#: SQLite refuses SQL expressions nested deeper than 1000; OR-chains count one per term.
OR_CHUNK = 300


def _subtrees_q(paths, manager=None):
    """One ``Q`` matching every page in the subtrees rooted at ``paths``.

    Nested roots are dropped (a grant covers its descendants). Past ``OR_CHUNK``
    roots the terms go into subqueries of ``OR_CHUNK`` each, so thousands of grants
    still make one query that SQLite accepts."""
    kept = []
    for path in sorted(paths):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    if not kept:
        return None
    chunks = [kept[i : i + OR_CHUNK] for i in range(0, len(kept), OR_CHUNK)]
    terms = [_or_startswith(chunk) for chunk in chunks]
    if len(terms) == 1:
        return terms[0]
    if manager is None:
        from wagtail.models import Page

        manager = Page.objects
    q = Q()
    for term in terms:
        q |= Q(pk__in=manager.filter(term).values("pk"))
    return q


def _or_startswith(paths):
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return q
