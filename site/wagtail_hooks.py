"""The project's own hooks: mark pages the anonymous page cache may keep."""

from wagtail import hooks

from .pagecache import mark_cacheable


@hooks.register("before_serve_page")
def page_cache_marker(page, request, serve_args, serve_kwargs):
    mark_cacheable(request, page)
