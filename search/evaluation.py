"""Relevance evaluation over the labelled set in fixtures/search_eval/.

Three engines answer the same labelled queries over the same records: Gongjian's
search, stock Wagtail's database backend, and a naive reference (jieba's own
search-mode tokens in an FTS5 OR query ranked by bm25: no domain dictionary, no
synonyms, no fields), so a change is judged against something that costs nothing.

Everything happens inside a transaction that is rolled back, so it can run on
any database, even one with real content, and leaves nothing behind.
"""

import json
import math
import sqlite3
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from .harness import feed, stock_index, stock_search
from .query import SearchRequest
from .segment import MEANINGFUL, normalise, plain_segmenter
from .service import run
from .suggest import forget_vocabulary

EVAL_DIR = settings.BASE_DIR / "fixtures" / "search_eval"
ENGINES = ("gongjian", "stock", "naive")
LABELS = {
    "gongjian": "Gongjian (fields, dictionary, synonyms)",
    "stock": "stock Wagtail database backend",
    "naive": "naive jieba + FTS5 OR + bm25",
}
METRICS = ("recall", "mrr", "ndcg")


@dataclass
class Score:
    recall: float
    mrr: float
    ndcg: float = 0.0


def load_set(directory=EVAL_DIR):
    records = [
        json.loads(line)
        for line in (directory / "archive.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    queries = json.loads((directory / "queries.json").read_text(encoding="utf-8"))["queries"]
    return records, queries


def is_synonym_query(item):
    """Queries that ask in other words than the records use (everyday words, older names,
    official wordings): marked ``"synonym": true`` or with a kind naming it."""
    kind = str(item.get("kind", "")).lower()
    return bool(item.get("synonym")) or "synonym" in kind or "paraphrase" in kind


def score(ranked, relevant, k=10):
    """recall@k, reciprocal rank@k and nDCG@k (binary gains) of one ranked list of ids.

    recall@k is out of the records a first page can hold: found / min(relevant, k). A
    query with 23 relevant records (党建) is answered fully by ten of them on the first
    page; out of all 23 no engine could score above 0.43 on it, and the mean would say
    more about how many records were labelled than about the ranking."""
    top = ranked[:k]
    relevant = set(relevant)
    found = len(set(top) & relevant)
    reachable = min(len(relevant), k)
    rank = next((i + 1 for i, sid in enumerate(top) if sid in relevant), None)
    dcg = sum(1 / math.log2(i + 2) for i, sid in enumerate(top) if sid in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return Score(
        recall=found / reachable if relevant else 0.0,
        mrr=1 / rank if rank else 0.0,
        ndcg=dcg / ideal if ideal else 0.0,
    )


class NaiveBaseline:
    """jieba search-mode tokens (its own dictionary only) in an in-memory FTS5 table of
    title and body; a query is its search-mode tokens OR'ed, ranked by bm25. Kept apart
    from the site's database, so it is the same whichever database the site runs on."""

    def __init__(self, records):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE naive USING fts5(sid UNINDEXED, title, body)")
        self.db.executemany(
            "INSERT INTO naive VALUES (?, ?, ?)",
            [
                (str(r.get("id", "")), self.tokens(r["title"]), self.tokens(r.get("body", "")))
                for r in records
            ],
        )

    @staticmethod
    def tokens(text):
        cut = plain_segmenter().cut_for_search(normalise(text))
        return " ".join(t for t in (t.strip() for t in cut) if t and MEANINGFUL.search(t))

    def search(self, q, k=10):
        words = dict.fromkeys(self.tokens(q).split())
        if not words:
            return []
        expression = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = self.db.execute(
            "SELECT sid FROM naive WHERE naive MATCH ? ORDER BY bm25(naive) LIMIT ?",
            [expression, k],
        )
        return [row[0] for row in rows]


class _Rollback(Exception):
    pass


def mean(rows, engine, metric):
    return sum(getattr(r[engine], metric) for r in rows) / len(rows) if rows else 0.0


def summarise(rows):
    """{engine: {metric: mean, "synonym": mean recall on synonym queries}}."""
    synonym_rows = [r for r in rows if r["synonym"]]
    return {
        engine: {
            **{metric: mean(rows, engine, metric) for metric in METRICS},
            "synonym": mean(synonym_rows, engine, "recall"),
        }
        for engine in ENGINES
        if rows and engine in rows[0]
    }


def evaluate(k=10, directory=EVAL_DIR, engines=ENGINES, records=None, queries=None):
    """Score the engines on the labelled set.

    Returns {"gongjian": {...}, "stock": {...}, "naive": {...}, "queries": [...],
    "k": k, "synonym_queries": n}, each engine with mean recall@k, MRR@k, nDCG@k and
    recall@k on the synonym queries.
    """
    if records is None or queries is None:
        records, queries = load_set(directory)
    naive = NaiveBaseline(records) if "naive" in engines else None
    rows = []
    try:
        with transaction.atomic():
            documents = feed(records)
            forget_vocabulary()  # did-you-mean reads the records just fed
            if "stock" in engines:
                stock_index(documents)
            by_pk = {d.pk: d.source_id for d in documents}
            for item in queries:
                row = {**item, "synonym": is_synonym_query(item)}
                response, _parsed = run(SearchRequest(q=item["q"], per_page=k))
                ours = [hit.document.source_id for hit in response.results]
                row["gongjian"] = score(ours, item["relevant"], k)
                row["gongjian_top"] = ours
                if "stock" in engines:
                    stock = [by_pk.get(pk, "") for pk in stock_search(item["q"], k)]
                    row["stock"] = score(stock, item["relevant"], k)
                if naive is not None:
                    row["naive"] = score(naive.search(item["q"], k), item["relevant"], k)
                rows.append(row)
            raise _Rollback
    except _Rollback:
        pass
    forget_vocabulary()
    report = summarise(rows)
    report["queries"] = rows
    report["k"] = k
    report["synonym_queries"] = sum(1 for r in rows if r["synonym"])
    return report
