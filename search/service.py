"""The one entry point every interface calls: run a search request end to end."""

import logging

from django.core.cache import cache
from wagtail.contrib.search_promotions.models import Query
from wagtail.search.utils import normalise_query_string

from .backends import get_backend
from .documents import FOLD, ORGANISATION_TYPE
from .models import SearchDocument, Synonym
from .query import Hit, SearchResponse, highlight, parse
from .segment import normalise
from .suggest import corrected, corrections

logger = logging.getLogger(__name__)

SNIPPET_CHARS = 120
SYNONYM_CACHE_KEY = "gongjian-search-synonyms"
ORGANISATION_CACHE_KEY = "gongjian-search-organisation-names"
# What organisation names have in common, taken off to leave the name people use
# (幸福里社区大党委 -> 幸福里, 中共江北区委 -> 江北): longest first.
GENERIC_PREFIXES = ("中共",)
GENERIC_SUFFIXES = sorted(
    ["社区大党委", "街道大工委", "街道党工委", "综合党委", "党工委", "大党委", "大工委", "党总支",
     "党支部", "党小组", "党委", "支部", "区委", "市委", "委员会", "社区", "街道", "党组织"],
    key=len, reverse=True,
)  # fmt: skip


def synonym_groups():
    """Editors' synonym groups, cached until one changes (see wagtail_hooks)."""
    groups = cache.get(SYNONYM_CACHE_KEY)
    if groups is None:
        groups = [s.term_list() for s in Synonym.objects.all()]
        cache.set(SYNONYM_CACHE_KEY, groups, 3600)
    return groups


def short_name(title):
    """An organisation's name without what every organisation's name has, folded."""
    name = FOLD.sub("", normalise(title))
    for prefix in GENERIC_PREFIXES:
        name = name.removeprefix(prefix)
    stripped = True
    while stripped:
        stripped = False
        for suffix in GENERIC_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                name, stripped = name[: -len(suffix)], True
                break
    return name


def organisation_names():
    """The names people call the indexed organisations by, cached until one is indexed
    again (``search.indexing``)."""
    names = cache.get(ORGANISATION_CACHE_KEY)
    if names is None:
        titles = SearchDocument.objects.filter(doc_type=ORGANISATION_TYPE).values_list(
            "title", flat=True
        )
        names = sorted({short_name(title) for title in titles} - {""}, key=len, reverse=True)
        cache.set(ORGANISATION_CACHE_KEY, names, 3600)
    return names


def names_organisation(q):
    """Whether the query is an organisation's name (幸福里社区, 望江第一网格党支部): its
    name with nothing left over but what every organisation's name has. Then
    organisation pages are ranked among the records; otherwise after them, so that a
    topic query (党建), or a topic in a place (望江 网格), does not open with every
    organisation whose name contains its words."""
    text = FOLD.sub("", normalise(q))
    for name in organisation_names():
        if len(name) >= 2 and name in text:
            rest = text.replace(name, "")
            for generic in GENERIC_SUFFIXES:
                rest = rest.replace(generic, "")
            if not rest:
                return True
    return False


def promoted_hits(request, parsed):
    """Wagtail search promotions for this query, on the first page, if still public."""
    if request.page != 1 or not request.q:
        return []
    # Query.get() would create a row per distinct search; only read here.
    query = Query.objects.filter(query_string=normalise_query_string(request.q)).first()
    if query is None:
        return []
    page_ids = [
        pk
        for pk in query.editors_picks.order_by("sort_order").values_list("page_id", flat=True)
        if pk
    ]
    documents = {d.page_id: d for d in SearchDocument.objects.filter(page_id__in=page_ids)}
    return [
        Hit(document=documents[pk], score=0, promoted=True) for pk in page_ids if pk in documents
    ]


def search_with_fallback(backend, request, parsed):
    """Ask ``backend``; when it cannot answer (a cluster down), ask the database instead.

    Every document lives in the database whatever the backend, so the fallback loses no
    results, only the cluster's speed at scale. The response names the backend that
    answered, and the switch is logged."""
    database = get_backend("database")
    if backend is database:
        return backend.search(request, parsed)
    if backend.available:
        try:
            return backend.search(request, parsed)
        except backend.unavailable_errors as exc:
            backend.mark_down(exc)
    logger.warning("search for %r answered by the database: %s is unavailable",
                   request.q, backend.name)  # fmt: skip
    return database.search(request, parsed)


def run(request, backend=None, synonyms=None):
    """Answer a SearchRequest: ranked hits with highlighted snippets, total and facets.
    ``synonyms``: groups to use instead of the admin's (measuring the thesaurus)."""
    groups = synonym_groups() if synonyms is None else synonyms
    # A mistyped word (志原服务) is searched with the word it is one character from, as a
    # synonym would be, and offered as 您是不是要找.
    typos = corrections(request.q) if request.q else []
    parsed = parse(request.q, [list(pair) for pair in typos] + list(groups))
    if request.q and not parsed:
        # Only stopwords or punctuation: nothing to look for, say so with an empty result.
        return SearchResponse(request=request), parsed
    if parsed:
        parsed.organisations_indexed = bool(organisation_names())
        parsed.names_organisation = names_organisation(request.q)
    response = search_with_fallback(backend or get_backend(), request, parsed)
    response.suggestion = corrected(request.q, typos)
    promoted = promoted_hits(request, parsed)
    if promoted:
        ids = {hit.document.page_id for hit in promoted}
        response.results = promoted + [h for h in response.results if h.document.page_id not in ids]
    terms = parsed.terms
    for hit in response.results:
        hit.title_html = highlight(hit.document.title, terms)
        hit.snippet = highlight(hit.document.body, terms, width=SNIPPET_CHARS)
    return response, parsed
