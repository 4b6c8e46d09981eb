"""Theme and page-cache upkeep when sites or their appearance change."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from modelcluster.fields import ParentalKey
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from . import changes
from .models import AppearanceSettings, FilingSettings
from .themes import bump_theme_generation


@receiver(post_save, sender=AppearanceSettings)
@receiver(post_delete, sender=AppearanceSettings)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def appearance_changed(**kwargs):
    bump_theme_generation()


# --- Changes of content: every one goes to gongjian_site.changes ---------------------


@receiver(page_published)
def page_published_(instance, **kwargs):
    changes.page_published(instance)


@receiver(page_unpublished)
def page_unpublished_(instance, **kwargs):
    if instance.live:
        # Wagtail sends page_unpublished from pre_delete without saving: the page is
        # being deleted (page_deleted below handles it).
        return
    changes.page_changed(instance)


@receiver(post_save)
def page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """A whole page saved: made or changed in code (imports, 收入推荐案例, a script
    taking a page offline), which sends no page_published. Draft revisions save only
    bookkeeping fields (update_fields) and change nothing public."""
    if not raw and update_fields is None and isinstance(instance, Page):
        changes.page_changed(instance)


@receiver(pre_delete, sender=Page)
def page_deleted(sender, instance, **kwargs):
    # Every page of a deleted subtree passes here once, as its base row.
    changes.page_removed(instance)


@receiver(pre_page_move)
def page_moving(instance, **kwargs):
    changes.page_leaving(instance)


@receiver(post_page_move)
def page_moved(instance, **kwargs):
    changes.subtree_changed(Page.objects.get(pk=instance.pk))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(instance, raw=False, **kwargs):
    if raw:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        changes.subtree_changed(page)
    # A restriction covers a subtree and decides what may be cached at all.
    changes.everything_changed()


@receiver(post_save, sender=AppearanceSettings)
@receiver(post_save, sender=FilingSettings)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if sender is Site and kwargs.get("signal") is post_save:
        # A new or moved site root changes the URL of every page under it. Wagtail
        # clears its cached root paths in its own receiver, which may run after this.
        Site.clear_site_root_paths_cache()
        changes.subtree_changed(instance.root_page)
    changes.everything_changed()


def record_changed(sender, instance, raw=False, **kwargs):
    """Rows that are not pages but show on pages (honours, the three lists, meetings)."""
    if not raw:
        changes.record_changed(instance)


def _part_of_a_page(model):
    """Rows held by a page through a ParentalKey (a gallery image, a tag, a committee
    member) are written when the page is published and change with it."""
    return any(
        isinstance(field, ParentalKey) and issubclass(field.related_model, Page)
        for field in model._meta.get_fields()
        if field.concrete
    )


# Per model rather than for every sender: a model without receivers keeps Django's fast
# bulk delete (the search index's rebuild relies on it).
for _model in apps.get_models():
    if not (
        issubclass(_model, Page)
        or _model._meta.db_table in changes.QUIET_TABLES
        or _part_of_a_page(_model)
    ):
        _uid = f"gongjian-changes-{_model._meta.label_lower}"
        post_save.connect(record_changed, sender=_model, dispatch_uid=_uid)
        post_delete.connect(record_changed, sender=_model, dispatch_uid=_uid)
