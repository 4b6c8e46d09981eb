"""Did-you-mean from the index's own vocabulary: 志原服务 -> 您是不是要找：志愿服务.

Chinese typos from an input method are mostly one character replaced by another of the
same sound (志原 for 志愿), so a word the index does not know is compared with the
indexed words of its length that differ from it in one character, and the one found
in most documents is offered. The vocabulary is the engine's own list of indexed
terms with their document counts (FTS5's fts5vocab table, PostgreSQL's ts_stat), read
only when a query has a word the index does not know, and kept for a few minutes.
"""

import time

from django.db import connection

from .documents import ORGANISATION_MARKER
from .segment import CJK_RUN, normalise, query_words

#: How long a vocabulary read from the index serves suggestions before it is read again.
VOCABULARY_SECONDS = 600
MIN_CHARS, MAX_CHARS = 2, 12

_vocabulary = {"read_at": None, "terms": None, "by_length": None}


def vocabulary():
    """({term: document count}, {length: [(term, count), ...]}) of the indexed terms."""
    read_at = _vocabulary["read_at"]
    if read_at is None or time.monotonic() - read_at > VOCABULARY_SECONDS:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT term, doc FROM search_fts_vocab")
            else:
                cursor.execute(
                    "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM "
                    "search_searchdocument')"
                )
            terms = {
                term: count
                for term, count in cursor.fetchall()
                if MIN_CHARS <= len(term) <= MAX_CHARS and term != ORGANISATION_MARKER
            }
        by_length = {}
        for term, count in terms.items():
            by_length.setdefault(len(term), []).append((term, count))
        _vocabulary.update(read_at=time.monotonic(), terms=terms, by_length=by_length)
    return _vocabulary["terms"], _vocabulary["by_length"]


def forget_vocabulary():
    """Read the vocabulary again at the next suggestion (tests; after a rebuild)."""
    _vocabulary.update(read_at=None, terms=None, by_length=None)


def closest(word, by_length):
    """The most frequent indexed term of ``word``'s length one character away, or None."""
    best = None
    for term, count in by_length.get(len(word), ()):
        if sum(a != b for a, b in zip(term, word, strict=True)) == 1 and (
            best is None or count > best[1]
        ):
            best = (term, count)
    return best[0] if best else None


def suggest(q):
    """A corrected query for ``q`` when one of its words is unknown to the index and a
    known word is one character away, else "". Chinese runs are tried whole first
    (志原服务 is cut into 志原 / 服务, but 志愿服务 is one indexed word)."""
    text = normalise(q).strip()
    if not text:
        return ""
    terms, by_length = vocabulary()
    changed = text
    for run in CJK_RUN.findall(text):
        if run in terms:
            continue
        whole = closest(run, by_length) if len(run) <= MAX_CHARS else None
        if whole:
            changed = changed.replace(run, whole, 1)
            continue
        for word in query_words(run):
            if len(word) >= MIN_CHARS and word not in terms:
                better = closest(word, by_length)
                if better:
                    changed = changed.replace(word, better, 1)
    return changed if changed != text else ""
