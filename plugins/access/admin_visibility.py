"""What the admin shows of the page tree outside the explorer (issue 15, item 4).

Members see in the admin only the parts of the tree they may act on plus what is live and
public: the policy's ``visible_instances`` (the page chooser asks it too, through
``limit_chooser_to_visible``). The explorer, its search and the per-type page listing
already filter by ``explorable_instances``; two Wagtail views read pages without asking
the policy at all, and have no hook to narrow them:

* the bulk-action confirmation (``/admin/bulk/wagtailcore/page/<action>/?id=…``) lists
  every selected id, the ones the user may not act on by title ("you don't have
  permission to …"), so any page id gave away its draft title;
* the page-types usage report names each type's last edited page, and counts pages of
  every unit.

Both are taken in hand here, once, for every subclass (the workflows plugin's checked bulk
publish, the recycle bin's bulk delete ...): the methods that read the pages are replaced
on Wagtail's base classes by ``install_admin_visibility`` from ``AccessConfig.ready()``.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404


def _policy():
    from wagtail.models import Page
    from wagtail.permissions import policy_registry

    return policy_registry.get_by_type(Page)


def visible_page_ids(user, page_ids):
    """The subset of ``page_ids`` the admin may show ``user`` (one query)."""
    policy = _policy()
    if not hasattr(policy, "visible_instances"):
        return set(page_ids)
    return set(
        policy.visible_instances(user).filter(pk__in=list(page_ids)).values_list("pk", flat=True)
    )


def _bulk_actionable_objects(original):
    def get_actionable_objects(self):
        """Wagtail's split (pages to act on / pages without access), with the pages the
        user may not see left out of both: they are answered as if they did not exist,
        and a selection of nothing but such pages is a 404, like unknown ids."""
        objects, extra = original(self)
        no_access = extra.get("items_with_no_access", [])
        selected = [page.pk for page in [*objects, *no_access]]
        if not selected:
            return objects, extra
        visible = visible_page_ids(self.request.user, selected)
        if not visible:
            raise Http404
        objects = [page for page in objects if page.pk in visible]
        extra = {**extra, "items_with_no_access": [p for p in no_access if p.pk in visible]}
        return objects, extra

    get_actionable_objects.__wrapped__ = original
    return get_actionable_objects


def _usage_report_queryset(self):
    """Wagtail's ``PageTypesUsageReportView.get_queryset`` with counts and "last edited
    page" taken from the pages the user may see, not from every page of every unit."""
    from wagtail.admin.views.reports.page_types_usage import Page

    queryset = ContentType.objects.filter(model__in=self.page_models)
    page_content_type = ContentType.objects.get_for_model(Page)
    if not Page.objects.filter(depth__gt=1, content_type=page_content_type).exists():
        queryset = queryset.exclude(id=page_content_type.id)
    self.queryset = queryset
    queryset = self.filter_queryset(queryset)

    language_code = self.filters.form.cleaned_data.get("page_locale", None)
    site_root_path = self.filters.form.cleaned_data.get("site", None)
    visible = _policy().visible_instances(self.request.user).values("pk")
    latest_filter = {"pk__in": visible}
    count_filter = {"pages__pk__in": visible}
    if language_code:
        latest_filter["locale__language_code"] = language_code
        count_filter["pages__locale__language_code"] = language_code
    if site_root_path:
        latest_filter["path__startswith"] = site_root_path
        count_filter["pages__path__startswith"] = site_root_path
    latest_edited_page = Page.objects.filter(content_type=OuterRef("pk"), **latest_filter).order_by(
        F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
    )
    queryset = queryset.annotate(
        count=Count("pages", filter=Q(**count_filter)),
        last_edited_page_id=Subquery(latest_edited_page.values("pk")[:1]),
    )
    return queryset.order_by("-count", "app_label", "model")


def install_admin_visibility():
    """Replace the two page-reading methods on Wagtail's base classes (idempotent)."""
    from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction
    from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView

    if not hasattr(PageBulkAction.get_actionable_objects, "__wrapped__"):
        PageBulkAction.get_actionable_objects = _bulk_actionable_objects(
            PageBulkAction.get_actionable_objects
        )
    PageTypesUsageReportView.get_queryset = _usage_report_queryset
