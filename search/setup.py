"""The search profile: default synonym groups editors can change in the admin."""

from .models import Synonym

DEFAULT_SYNONYMS = [
    "双报到 = 在职党员到社区报到",
    "大工委 = 街道综合党委 = 街道大工委",
    "大党委 = 社区大党委",
    "党群微家 = 楼栋党小组",
    "联席会议 = 党建联席会议 = 联席会",
]


def setup():
    """Seed the default synonyms once; later runs leave the editors' list alone."""
    if not Synonym.objects.exists():
        Synonym.objects.bulk_create(Synonym(terms=terms) for terms in DEFAULT_SYNONYMS)
