"""The index follows publish, unpublish, move, delete and privacy changes at once."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from plugins.orgs.models import OrganisationPage


def _reindex(page):
    from .indexing import index_pages, index_subtree
    from .models import SearchDocument

    page = page.specific
    if page.numchild and isinstance(page, OrganisationPage):
        # Organisation pages lend their names and paths to everything below them;
        # the subtree needs new documents only when the name or the place changed.
        indexed = SearchDocument.objects.filter(page_id=page.pk).values_list("title", "url")
        if list(indexed) != [(page.title, page.get_url() or "")] or not page.live:
            index_subtree(page)
            return
    elif page.numchild:
        index_subtree(page)
        return
    index_pages([page])


def on_published(sender, instance, **kwargs):
    _reindex(instance)


def on_unpublished(sender, instance, **kwargs):
    if instance.live:
        # Wagtail sends page_unpublished from pre_delete without saving, so a page
        # that still reads as live is being deleted: drop its documents now rather
        # than index it once more (the new row would outlive the page).
        from .models import SearchDocument

        SearchDocument.objects.filter(page__path__startswith=instance.path).delete()
        return
    _reindex(instance)


def on_moved(sender, instance, **kwargs):
    _reindex(Page.objects.get(pk=instance.pk))


def on_restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    try:
        page = Page.objects.get(pk=instance.page_id)
    except Page.DoesNotExist:
        return  # the page itself is being deleted
    from .indexing import index_subtree

    index_subtree(page)


def on_site_saved(sender, instance, raw=False, **kwargs):
    """A new or moved site root changes the URL of every page under it."""
    from .indexing import index_subtree

    if raw:
        return  # loading a fixture or a backup: the pages may not be there yet

    # Wagtail clears its cached root paths in its own post_save handler, which may
    # run after this one; page URLs must be computed from the new roots.
    Site.clear_site_root_paths_cache()
    index_subtree(instance.root_page)


def on_document_deleted(sender, instance, **kwargs):
    from .backends import get_backend

    get_backend().mirror_delete([instance.pk])


def forget_synonyms(**kwargs):
    from django.core.cache import cache

    from .service import SYNONYM_CACHE_KEY

    cache.delete(SYNONYM_CACHE_KEY)


def connect():
    from .models import SearchDocument, Synonym

    post_save.connect(forget_synonyms, sender=Synonym, dispatch_uid="search_synonyms_saved")
    post_delete.connect(forget_synonyms, sender=Synonym, dispatch_uid="search_synonyms_deleted")

    page_published.connect(on_published, dispatch_uid="search_published")
    post_save.connect(on_site_saved, sender=Site, dispatch_uid="search_site_saved")
    page_unpublished.connect(on_unpublished, dispatch_uid="search_unpublished")
    post_page_move.connect(on_moved, dispatch_uid="search_moved")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction,
                      dispatch_uid="search_restriction_saved")  # fmt: skip
    post_delete.connect(on_restriction_changed, sender=PageViewRestriction,
                        dispatch_uid="search_restriction_deleted")  # fmt: skip
    if settings.SEARCH_BACKEND == "elasticsearch":
        # Only a mirror needs per-row deletes; without a receiver Django deletes
        # the rows in bulk, which keeps rebuilds of the database index fast.
        post_delete.connect(on_document_deleted, sender=SearchDocument,
                            dispatch_uid="search_document_deleted")  # fmt: skip
