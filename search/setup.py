"""The search profile: the domain thesaurus in the admin's synonym list, and documents
indexed before the weighted fields existed brought up to date."""

from .models import SearchDocument, Synonym
from .thesaurus import load_thesaurus

# Seeded once, as the editors' own first groups (before the thesaurus existed);
# later runs leave the editors' list alone.
DEFAULT_SYNONYMS = [
    "双报到 = 在职党员到社区报到",
    "大工委 = 街道综合党委 = 街道大工委",
    "大党委 = 社区大党委",
    "党群微家 = 楼栋党小组",
    "联席会议 = 党建联席会议 = 联席会",
]


def setup():
    """Seed the default synonyms once, load the shipped thesaurus (again: idempotent),
    and reindex pages whose documents predate the weighted fields (migration 0004)."""
    if not Synonym.objects.exists():
        Synonym.objects.bulk_create(Synonym(terms=terms) for terms in DEFAULT_SYNONYMS)
    load_thesaurus()
    outdated = (
        SearchDocument.objects.exclude(page=None)
        .filter(org_tokens="")
        .values_list("page_id", flat=True)
    )
    if outdated.exists():
        from wagtail.models import Page

        from .indexing import index_pages

        index_pages(Page.objects.filter(pk__in=list(outdated)).specific())
