"""Wagtail API v2, read-only: published pages (with their type), images, documents.

Every endpoint goes through ``GuardedAPIMixin`` first: Wagtail parses ``fields=`` with
a recursive parser (2,000 nested parentheses raised RecursionError after seconds of CPU)
and hands ``offset`` straight to the database (past 2**63 SQLite refuses it: 500).
Bounds are checked here, before Wagtail reads the parameters, and a request outside
them gets Wagtail's own 400 answer with a Chinese message.

Plugins narrow the image and document endpoints with the
``gongjian_public_media_api_mixins`` hook (access lists public media only): the core
names no plugin, so any plugin can be left out.
"""

from wagtail import hooks
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from .params import parse_int

# Deeper than any real use (page → image → rendition is three levels).
MAX_FIELDS_DEPTH = 5
MAX_FIELDS_LENGTH = 1000
# Far past any listing (the whole site is a few thousand pages), far below overflow.
MAX_OFFSET = 1_000_000


def fields_depth(fields):
    """How deeply ``fields`` nests parentheses, counted without recursion."""
    depth = deepest = 0
    for char in fields:
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
    return deepest


class GuardedAPIMixin:
    """Refuses out-of-range ``offset`` and over-long or over-nested ``fields``."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_bounds(request)

    def check_bounds(self, request):
        if "offset" in request.GET:
            offset = parse_int(request.GET["offset"], minimum=0, maximum=MAX_OFFSET)
            if offset is None:
                raise BadRequestError(f"offset 应为 0 到 {MAX_OFFSET} 之间的整数")
        if "limit" in request.GET and parse_int(request.GET["limit"], minimum=0) is None:
            raise BadRequestError("limit 应为不小于 0 的整数")
        fields = request.GET.get("fields", "")
        if fields_depth(fields) > MAX_FIELDS_DEPTH:
            raise BadRequestError(f"fields 嵌套过深（最多 {MAX_FIELDS_DEPTH} 层）")
        if len(fields) > MAX_FIELDS_LENGTH:
            raise BadRequestError(f"fields 过长（最多 {MAX_FIELDS_LENGTH} 个字符）")


class GuardedPagesAPIViewSet(GuardedAPIMixin, PagesAPIViewSet):
    pass


def media_mixins():
    """The plugins' mixins for the image and document endpoints, hook order."""
    return tuple(
        mixin for hook in hooks.get_hooks("gongjian_public_media_api_mixins") for mixin in hook()
    )


def media_endpoint(name, viewset):
    """``viewset`` behind the bounds check and every plugin's mixins."""
    return type(name, (GuardedAPIMixin, *media_mixins(), viewset), {})


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", GuardedPagesAPIViewSet)
api_router.register_endpoint("images", media_endpoint("GuardedImagesAPIViewSet", ImagesAPIViewSet))
api_router.register_endpoint(
    "documents", media_endpoint("GuardedDocumentsAPIViewSet", DocumentsAPIViewSet)
)
