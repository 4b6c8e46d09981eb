"""Theme and page-cache upkeep when sites or their appearance change."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import pagecache
from .models import AppearanceSettings
from .themes import bump_theme_generation


@receiver(post_save, sender=AppearanceSettings)
@receiver(post_delete, sender=AppearanceSettings)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def appearance_changed(**kwargs):
    bump_theme_generation()


# --- Page cache -------------------------------------------------------------------


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(instance, **kwargs):
    pagecache.purge_page(instance.url_path)


@receiver(pre_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        pagecache.purge_page(instance.url_path)


@receiver(post_page_move)
def page_moved(instance, url_path_before, url_path_after, **kwargs):
    pagecache.purge_page(url_path_before)
    pagecache.purge_page(url_path_after)
    # The moved subtree's old addresses must stop answering from the cache too.
    if url_path_before != url_path_after:
        old_paths = set()
        for url_path in Page.objects.filter(path__startswith=instance.path).values_list(
            "url_path", flat=True
        ):
            old = url_path_before + url_path[len(url_path_after) :]
            old_paths |= pagecache.request_paths(old)
        pagecache.purge_paths(old_paths)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(**kwargs):
    # A restriction covers a subtree; forgetting everything is simplest and safe.
    pagecache.purge_all()


@receiver(post_save, sender=AppearanceSettings)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(**kwargs):
    pagecache.purge_all()
