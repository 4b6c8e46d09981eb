"""Relevance evaluation over the labelled set in fixtures/search_eval/.

Everything happens inside a transaction that is rolled back, so it can run on
any database, even one with real content, and leaves nothing behind.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from .harness import feed, stock_index, stock_search
from .query import SearchRequest
from .service import run

EVAL_DIR = settings.BASE_DIR / "fixtures" / "search_eval"


@dataclass
class Score:
    recall: float
    mrr: float


def load_set(directory=EVAL_DIR):
    records = [
        json.loads(line)
        for line in (directory / "archive.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    queries = json.loads((directory / "queries.json").read_text(encoding="utf-8"))["queries"]
    return records, queries


def score(ranked, relevant, k=10):
    """recall@k and reciprocal rank@k of one ranked list of source ids."""
    top = ranked[:k]
    found = len(set(top) & set(relevant))
    rank = next((i + 1 for i, sid in enumerate(top) if sid in relevant), None)
    return Score(recall=found / len(relevant), mrr=1 / rank if rank else 0.0)


class _Rollback(Exception):
    pass


def evaluate(k=10, directory=EVAL_DIR):
    """Score Gongjian's search and stock Wagtail's on the labelled set.

    Returns {"gongjian": {...}, "stock": {...}, "queries": [...]}, each engine
    with mean recall@k and MRR@k.
    """
    records, queries = load_set(directory)
    report = {}
    try:
        with transaction.atomic():
            documents = feed(records)
            stock_index(documents)
            by_pk = {d.pk: d.source_id for d in documents}
            rows = []
            for item in queries:
                response, _parsed = run(SearchRequest(q=item["q"], per_page=k))
                ours = [hit.document.source_id for hit in response.results]
                stock = [by_pk.get(pk, "") for pk in stock_search(item["q"], k)]
                rows.append({
                    **item,
                    "gongjian": score(ours, item["relevant"], k),
                    "stock": score(stock, item["relevant"], k),
                    "gongjian_top": ours,
                })  # fmt: skip
            raise _Rollback
    except _Rollback:
        pass
    for engine in ("gongjian", "stock"):
        report[engine] = {
            "recall": sum(r[engine].recall for r in rows) / len(rows),
            "mrr": sum(r[engine].mrr for r in rows) / len(rows),
        }
    report["queries"] = rows
    report["k"] = k
    return report
