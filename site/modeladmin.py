"""Record lists (wagtail-modeladmin) that ignore query parameters they do not declare.

wagtail-modeladmin's IndexView applies every query parameter its list filters do not
consume as a raw ORM lookup: ``?utm_source=x`` raised FieldError, ``?year=abc``
ValueError (both 500), and any visitor of a list could filter on fields the list does
not show (``?created_by__password__startswith=…``). Django's own admin refuses such
lookups; here they are ignored: only the declared filters (``list_filter``), search,
ordering and paging act, a declared filter given a value it cannot use is dropped, the
others keep working, and the list says in Chinese what was ignored.

A plugin opts in by deriving its ModelAdmins from ``SafeModelAdmin`` (or its own
IndexView from ``SafeIndexViewMixin``).
"""

from django.contrib import messages
from django.contrib.admin import FieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path, lookup_spawns_duplicates
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import IndexView

from .listexport import ExportIndexViewMixin

# Problems a declared filter may raise while building its query from a visitor's value.
FILTER_ERRORS = (
    IncorrectLookupParameters,
    ValidationError,
    ValueError,
    TypeError,
    OverflowError,
    FieldDoesNotExist,
)


class _GuardedFilter:
    """A list filter whose ``queryset()`` drops its own parameters when they fail."""

    def __init__(self, spec, view):
        self._spec = spec
        self._view = view

    def __getattr__(self, name):
        return getattr(self._spec, name)

    def queryset(self, request, queryset):
        try:
            return self._spec.queryset(request, queryset)
        except FILTER_ERRORS:
            self._view.ignore(self._spec.expected_parameters())
            return None


class SafeIndexViewMixin:
    """Applies only the declared filters; see the module docstring."""

    def get_filters(self, request):
        """The declared filters, as IndexView.get_filters builds them; the parameters
        none of them consumed are ignored instead of applied as raw lookups."""
        lookup_params = self.get_filters_params()
        # No stored text holds a NUL, and PostgreSQL refuses one in a query (DataError).
        self.ignore(
            [key for key, values in lookup_params.items() if any("\x00" in v for v in values)]
        )
        lookup_params = {key: values for key, values in lookup_params.items() if key in self.params}
        use_distinct = False
        specs = []
        for list_filter in self.list_filter or ():
            if callable(list_filter):
                spec = list_filter(request, lookup_params, self.model, self.model_admin)
            else:
                if isinstance(list_filter, (tuple, list)):
                    field, filter_class = list_filter
                else:
                    field, filter_class = list_filter, FieldListFilter.create
                field_path = None
                if not isinstance(field, models.Field):
                    field_path = field
                    field = get_fields_from_path(self.model, field_path)[-1]
                spec = filter_class(
                    field, request, lookup_params, self.model, self.model_admin,
                    field_path=field_path,
                )  # fmt: skip
                use_distinct = use_distinct or lookup_spawns_duplicates(self.opts, field_path)
            # A filter given a value applies even when it has nothing to offer in the
            # side bar (a year filter with one year in the data, asked for another).
            if spec and (spec.has_output() or getattr(spec, "used_parameters", None)):
                specs.append(_GuardedFilter(spec, self))
        # Whatever no declared filter consumed is not a filter of this list.
        self.ignore(lookup_params)
        return specs, bool(specs), {}, use_distinct

    def get_search_results(self, request, queryset, search_term):
        # Same reason as for filters: a NUL in the search box is a DataError on PostgreSQL.
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))

    def ignore(self, names):
        names = [name for name in names if name in self.params]
        if not names:
            return
        for name in names:
            del self.params[name]
        self.ignored_params = [*getattr(self, "ignored_params", []), *names]

    def get_context_data(self, **kwargs):
        ignored = getattr(self, "ignored_params", [])
        if ignored:
            messages.warning(
                self.request,
                _("以下查询条件无法识别或取值无效，已忽略：%(names)s")
                % {"names": "、".join(sorted(set(ignored)))},
            )
        return super().get_context_data(**kwargs)


class SafeIndexView(SafeIndexViewMixin, ExportIndexViewMixin, IndexView):
    """Declared filters only; exports (``list_export``) in the reader's terms."""


class SafeModelAdmin(ModelAdmin):
    """A ModelAdmin whose list view is ``SafeIndexView``."""

    index_view_class = SafeIndexView
