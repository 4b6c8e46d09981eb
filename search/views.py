"""The public search page and the JSON API: two faces of ``service.run``."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from .documents import type_labels
from .query import BadQuery, SearchRequest
from .service import run


def api_search(request):
    """GET /api/search/?q=…: the JSON of ``search_archive --json``; 400 and a message if bad."""
    try:
        search_request = SearchRequest.from_params(request.GET)
    except BadQuery as error:
        return JsonResponse({"error": str(error)}, status=400)
    response, _parsed = run(search_request)
    return JsonResponse(response.as_dict(), json_dumps_params={"ensure_ascii": False})


def search_page(request):
    """The public search page: query box, facets with counts, highlighted snippets."""
    error = None
    try:
        search_request = SearchRequest.from_params(request.GET)
    except BadQuery as exc:
        error = str(exc)
        search_request = SearchRequest(q=str(request.GET.get("q", ""))[:200])
    response = parsed = None
    if not error and (search_request.q or search_request.active_filters()):
        response, parsed = run(search_request)
    labels = type_labels()
    context = {
        "query": search_request.q,
        "search_request": search_request,
        "response": response,
        "error": error,
        "type_labels": labels,
        "filters": search_request.active_filters(),
        "related_terms": [t for t in (parsed.terms if parsed else []) if len(t) > 1][:8],
        "paginator": Paginator(range(response.total), search_request.per_page)
        if response and response.total
        else None,
    }
    status = 400 if error else 200
    return render(request, "search/search.html", context, status=status)
