"""The recycle bin (回收站): a hidden page that holds deleted subtrees, and one entry per deletion.

Stock Wagtail deletes a page, its subtree and its revisions for good. Here the admin's
delete moves the page under the bin page instead, so the subtree, its revisions, log
entries, references and object permissions all stay attached to the same rows and come
back untouched on restore. The bin page hangs under the tree root, outside every Site,
so nothing in it has a URL; it carries a view restriction that nobody satisfies, so
``.public()`` (menus, sitemap, search, API) leaves its contents out as well.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.actions.move_page import MovePageAction
from wagtail.log_actions import log
from wagtail.models import Page, PageViewRestriction
from wagtail.permissions import policy_registry

BIN_SLUG = "recycle-bin"


class RestoreError(Exception):
    """A restore that cannot happen; the message tells the user why, in Chinese."""


class RecycleBinPage(Page):
    """The single bin page. Created by the plugin's setup, never by editors."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = []
    is_creatable = False
    max_count = 1
    #: Read by the access plugin's page policy: binned pages are reached through the
    #: bin's own views, never the explorer, the chooser or the admin's page search.
    hidden_from_explorer = True

    class Meta:
        verbose_name = _("回收站")
        verbose_name_plural = _("回收站")

    def serve(self, request, *args, **kwargs):
        raise Http404

    @classmethod
    def get(cls):
        """The bin page, created under the tree root when it is missing."""
        page = cls.objects.first()
        if page is None:
            root = Page.get_first_root_node()
            page = root.add_child(
                instance=cls(title="回收站", slug=BIN_SLUG, live=False, show_in_menus=False)
            )
        # A groups restriction with no groups: no visitor ever passes it.
        if not PageViewRestriction.objects.filter(page=page).exists():
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.GROUPS
            )
        return page


def retention():
    return timedelta(days=settings.RECYCLE_BIN_RETENTION_DAYS)


class BinEntry(models.Model):
    """One deleted page (with its subtree) in the bin: where it was, who deleted it, when."""

    page = models.OneToOneField(
        Page,
        verbose_name=_("页面"),
        on_delete=models.CASCADE,
        related_name="recycle_bin_entry",
    )
    original_parent = models.ForeignKey(
        Page,
        verbose_name=_("原上级页面"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text as well: the parent may be deleted for good later.
    original_parent_title = models.CharField(_("原上级页面标题"), max_length=255)
    original_url_path = models.TextField(_("原路径"))
    # Pages from different parents may share a slug ("meetings" under every committee);
    # inside the bin one of them gets a unique slug, and this one comes back on restore.
    original_slug = models.SlugField(_("原网址片段"), max_length=255, blank=True, default="")
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("删除人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deleted_at = models.DateTimeField(_("删除时间"), default=timezone.now, db_index=True)
    descendant_count = models.PositiveIntegerField(_("下级页面数"), default=0)

    class Meta:
        verbose_name = _("回收站条目")
        verbose_name_plural = _("回收站条目")
        ordering = ["-deleted_at"]

    def __str__(self):
        return self.page.title

    @property
    def expires_at(self):
        return self.deleted_at + retention()

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    def user_can_restore(self, user):
        """Whether ``user`` could have deleted the page where it was.

        Asked of the original parent through the registered page permission policy
        (so object-level grants of other plugins count): delete rights there cover the
        page; a page's owner with add rights there may delete it too, as in Wagtail.
        """
        if not (user.is_active and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        parent = self.original_parent
        if parent is None:
            return False
        policy = policy_registry.get_by_type(Page)
        if policy.user_has_permission_for_instance(user, "delete", parent):
            return True
        return self.page.owner_id == user.pk and policy.user_has_permission_for_instance(
            user, "add", parent
        )


def is_in_bin(page):
    """True when ``page`` is the bin page or lies inside it."""
    bin_page = RecycleBinPage.objects.only("path").first()
    return bin_page is not None and page.path.startswith(bin_page.path)


def _set_slug(page, slug):
    """Change only the slug row; the move that follows recomputes the URL paths of the
    page and its subtree from it (a full save would validate against the old parent)."""
    Page.objects.filter(pk=page.pk).update(slug=slug)
    page.slug = slug
    return page


@transaction.atomic
def move_to_bin(page, user=None):
    """Move ``page`` and its subtree under the bin; return the new BinEntry."""
    bin_page = RecycleBinPage.get()
    page = Page.objects.get(pk=page.pk)
    parent = page.get_parent()
    entry = BinEntry(
        original_parent=parent,
        original_parent_title=parent.get_admin_display_title(),
        original_url_path=page.url_path,
        deleted_by=user if user is not None and user.is_authenticated else None,
        descendant_count=page.get_descendant_count(),
        original_slug=page.slug,
    )
    if bin_page.get_children().filter(slug=page.slug).exists():
        _set_slug(page, f"{page.slug}-{page.pk}")
    # Permission was checked by the delete view; the bin itself grants nothing.
    MovePageAction(page, bin_page, pos="last-child", user=user).execute(skip_permission_checks=True)
    entry.page = page
    entry.save()
    log(instance=page, action="recyclebin.move_to_bin", user=user)
    return entry


@transaction.atomic
def restore(entry, user=None):
    """Move a binned page back under its original parent, or raise RestoreError."""
    if entry.is_expired:
        raise RestoreError(_("已超过保留期限，无法恢复。"))
    parent = entry.original_parent
    if parent is None:
        raise RestoreError(
            _("原上级页面“%(title)s”已不存在，无法恢复到原位置。")
            % {"title": entry.original_parent_title}
        )
    if is_in_bin(parent):
        raise RestoreError(
            _("原上级页面“%(title)s”也在回收站中，请先恢复它。") % {"title": parent.title}
        )
    page = Page.objects.get(pk=entry.page_id)
    slug = entry.original_slug or page.slug
    if parent.get_children().filter(slug=slug).exists():
        raise RestoreError(
            _("原位置下已有网址相同（%(slug)s）的页面，请先修改其中一个的网址。") % {"slug": slug}
        )
    if page.slug != slug:
        page = _set_slug(page, slug)
    MovePageAction(page, parent, pos="last-child", user=user).execute(skip_permission_checks=True)
    entry.delete()
    log(instance=page, action="recyclebin.restore", user=user)
    return Page.objects.get(pk=page.pk)


def purge(now=None, older_than=None):
    """Delete for good every binned page deleted before the retention period; return them."""
    now = now or timezone.now()
    cutoff = now - (older_than if older_than is not None else retention())
    purged = []
    for entry in BinEntry.objects.filter(deleted_at__lt=cutoff).select_related("page"):
        purged.append((entry.page.title, entry.descendant_count))
        with transaction.atomic():
            entry.page.specific.delete()
    return purged
