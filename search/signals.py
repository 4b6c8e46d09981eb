"""Search upkeep that is not about content: synonyms, and the Elasticsearch mirror's
deletes. Changes of content reach the index through gongjian_site.changes (search.api)."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save


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

    if settings.SEARCH_BACKEND == "elasticsearch":
        # Only a mirror needs per-row deletes; without a receiver Django deletes
        # the rows in bulk, which keeps rebuilds of the database index fast.
        post_delete.connect(on_document_deleted, sender=SearchDocument,
                            dispatch_uid="search_document_deleted")  # fmt: skip
