"""Object ids in admin URL paths: anything that cannot be an id answers 404, not 500.

Wagtail's choosers (``chooser/chosen/<str:pk>/``) and wagtail-modeladmin's object views
(``edit/(?P<instance_pk>[-\\w]+)/``) take any word as a key and hand it to the ORM:
``²`` (``isdigit()`` says yes, ``int()`` says no) or ``0x10`` raised ValueError, and an
``int`` converter lets 2**63 through to SQLite, which cannot bind it (OverflowError).
Each was a 500 on some fifty views, found by tests/production/test_malformed_ids.py.

Every model of this site has an integer primary key (DEFAULT_AUTO_FIELD; the same test
checks every model an admin URL serves), so an admin path parameter that names an
object (``pk``, ``instance_pk``, ``object_id``, ``…_id``, ``…_pk``) and is not a plain
ASCII integer from 0 to 2**63-1 can match nothing: it is answered 404 before any view
runs, the answer a missing id gets. Values that are not ids (``revision_id_a`` may be
``earliest``) do not end in those names.
"""

from django.http import Http404

from .params import MAX_ID, parse_int
from .security import is_admin_path

ID_NAMES = {"pk", "instance_pk", "object_id", "id"}


def is_id_parameter(name):
    return name in ID_NAMES or name.endswith(("_id", "_pk"))


class AdminPathIdMiddleware:
    """Refuses (404) admin URLs whose object id parameter cannot be an id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_admin_path(request.path_info):
            return None
        for name, value in view_kwargs.items():
            if is_id_parameter(name) and parse_int(value, minimum=0, maximum=MAX_ID) is None:
                raise Http404("没有这个编号的对象")
        return None
