"""Finding the page of a URL in two queries instead of two per level of the tree.

Wagtail routes a request one level at a time: each page looks up its child by slug and
loads that child's specific type, two queries a level; an activity eight levels down
costs fourteen before anything renders (issue 19). Every page already stores its whole
address (``url_path``), so one query reads every page of the chain at once, and one
more loads the deepest page's specific type, which then routes what is left of the URL
itself (a routable page's own sub-paths, such as a compilation's export).

The shortcut stands back, leaving Wagtail's walk to do the routing, whenever a page on
the way might route differently from Wagtail's default: a page type that overrides
``route`` (a routable page could claim a sub-path that is also a child's slug).
"""

from wagtail.models import Page


def uses_default_route(model):
    """Does ``model`` route its children as Wagtail's Page does (or by this module)?"""
    route = getattr(model, "route", None)
    return route is Page.route or getattr(route, "_gongjian_fast", False)


def fast_route(page, request, path_components):
    """``page.route(request, path_components)`` as Wagtail would answer it, in two
    queries; None when the shortcut does not apply (the caller then walks)."""
    if not path_components:
        return None
    prefixes = [
        page.url_path + "/".join(path_components[:n]) + "/"
        for n in range(1, len(path_components) + 1)
    ]
    chain = list(
        Page.objects.filter(
            url_path__in=prefixes, path__startswith=page.path, depth__gt=page.depth
        ).order_by("depth")
    )
    by_depth = {found.depth: found for found in chain}
    found_pages = []
    for level in range(1, len(chain) + 1):
        found = by_depth.get(page.depth + level)
        if found is None or found.url_path != prefixes[level - 1]:
            break
        found_pages.append(found)
    if not found_pages:
        return None
    # Every page walked through (all but the deepest) must route as Wagtail's Page does.
    for found in found_pages[:-1]:
        model = found.specific_class
        if model is None or not uses_default_route(model):
            return None
    parent = found_pages[-2] if len(found_pages) > 1 else page
    deepest = found_pages[-1].specific
    deepest._cached_parent_obj = parent  # as Wagtail's walk leaves it: get_parent() is free
    return deepest.route(request, path_components[len(found_pages) :])


def route_quickly(route):
    """Decorator for a page type's ``route``: try the shortcut first."""

    def wrapper(self, request, path_components):
        result = fast_route(self, request, path_components)
        if result is not None:
            return result
        return route(self, request, path_components)

    wrapper._gongjian_fast = True
    wrapper.__doc__ = route.__doc__
    return wrapper
