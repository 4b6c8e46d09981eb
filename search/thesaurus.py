"""The shipped domain thesaurus (search/thesaurus.txt) and its place in the admin's
检索同义词 list.

The file holds one group a line, ``双报到 = 在职党员到社区报到 = 到社区报到``, with
``#`` comments. Loading it (``setup_site`` through search.setup, or
``load_thesaurus``) makes one Synonym per group marked as the thesaurus's own:
loading again adds the new groups and removes the ones taken out of the file, and
never touches a group an editor made. A group is shipped only if the labelled
relevance set does not say it hurts: ``measure_thesaurus --write`` scores every
group and writes the ones that hurt to thesaurus_dropped.txt, which loading skips.
"""

import re
from pathlib import Path

from django.core.cache import cache
from django.db import transaction

from .models import Synonym
from .segment import normalise

THESAURUS = Path(__file__).with_name("thesaurus.txt")
DROPPED = Path(__file__).with_name("thesaurus_dropped.txt")
SEPARATORS = re.compile(r"\s*[=＝]\s*")


def read_groups(path):
    """[[term, ...], ...] of a thesaurus file; a missing file has none."""
    if not path.exists():
        return []
    groups = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        terms = list(dict.fromkeys(t for t in SEPARATORS.split(line) if t))
        if len(terms) >= 2:
            groups.append(terms)
    return groups


def group_key(terms):
    """Two groups are the same when they have the same terms, in any order or width."""
    return frozenset(normalise(term).strip() for term in terms)


def shipped_groups():
    """The thesaurus's groups less the ones the measurement found to hurt."""
    dropped = {group_key(terms) for terms in read_groups(DROPPED)}
    return [terms for terms in read_groups(THESAURUS) if group_key(terms) not in dropped]


@transaction.atomic
def load_thesaurus(groups=None):
    """Make the admin's thesaurus groups those of the file; editors' groups stay.
    Returns (added, removed, unchanged)."""
    from .service import SYNONYM_CACHE_KEY

    wanted = {group_key(terms): terms for terms in (shipped_groups() if groups is None else groups)}
    editors = {group_key(s.term_list()) for s in Synonym.objects.filter(origin=Synonym.EDITOR)}
    present = {}
    stale = []
    for synonym in Synonym.objects.filter(origin=Synonym.THESAURUS):
        key = group_key(synonym.term_list())
        if key in wanted and key not in present and key not in editors:
            present[key] = synonym
        else:
            stale.append(synonym.pk)
    Synonym.objects.filter(pk__in=stale).delete()
    new = [
        Synonym(terms=" = ".join(terms), origin=Synonym.THESAURUS)
        for key, terms in wanted.items()
        if key not in present and key not in editors
    ]
    Synonym.objects.bulk_create(new)
    cache.delete(SYNONYM_CACHE_KEY)  # bulk writes send no signal
    return len(new), len(stale), len(present)


def touches(terms, query):
    """Whether a group can change a query: parse() expands a group only when one of its
    terms is in the query's text."""
    text = normalise(query)
    return any(normalise(term) in text for term in terms)


def measure(k=10, groups=None):
    """Score each thesaurus group on the labelled queries it touches: with every group,
    and with every group but that one. Returns the report: the set's means with no
    thesaurus, with all of it and with the groups kept, and per group the change it
    makes (mean of recall, MRR and nDCG over the queries it touches; < 0 hurts)."""
    from .evaluation import _Rollback, feed, load_set, score
    from .query import SearchRequest
    from .service import run
    from .suggest import forget_vocabulary

    records, queries = load_set()
    groups = read_groups(THESAURUS) if groups is None else groups
    editors = [s.term_list() for s in Synonym.objects.filter(origin=Synonym.EDITOR)]

    def quality(query, synonyms):
        response, _parsed = run(SearchRequest(q=query["q"], per_page=k), synonyms=synonyms)
        s = score([h.document.source_id for h in response.results], query["relevant"], k)
        return (s.recall + s.mrr + s.ndcg) / 3, s

    report = {"groups": []}
    try:
        with transaction.atomic():
            feed(records)
            forget_vocabulary()
            everything = editors + groups
            base = {q["q"]: quality(q, everything) for q in queries}
            for terms in groups:
                touched = [q for q in queries if touches(terms, q["q"])]
                without = [g for g in everything if g is not terms]
                delta = sum(quality(q, without)[0] - base[q["q"]][0] for q in touched)
                report["groups"].append(
                    {"terms": terms, "queries": [q["q"] for q in touched],
                     "gain": -delta / len(touched) if touched else 0.0}
                )  # fmt: skip
            kept = editors + [g["terms"] for g in report["groups"] if g["gain"] >= 0]
            for name, synonyms in (("none", editors), ("all", everything), ("kept", kept)):
                scores = [quality(q, synonyms)[1] for q in queries]
                report[name] = {
                    metric: sum(getattr(s, metric) for s in scores) / len(scores)
                    for metric in ("recall", "mrr", "ndcg")
                }
            raise _Rollback
    except _Rollback:
        pass
    return report


def write_dropped(report, path=None):
    """Write the groups that hurt, with their numbers, for loading to skip."""
    path = path or DROPPED
    lines = [
        "# Thesaurus groups the labelled set (fixtures/search_eval) says hurt: loading skips",
        "# them. Written by `manage.py measure_thesaurus --write`; the number after each",
        "# group is its mean change of (recall@10 + MRR@10 + nDCG@10) / 3 over the queries",
        "# it touches.",
    ]
    for group in report["groups"]:
        if group["gain"] < 0:
            lines.append(
                f"{' = '.join(group['terms'])}  # {group['gain']:+.3f} on "
                + "、".join(group["queries"])
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
