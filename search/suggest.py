"""Did-you-mean from the index's own vocabulary: 志原服务 -> 您是不是要找：志愿服务.

Chinese typos from an input method are mostly one character replaced by another of the
same sound (志原 for 志愿, 联系 for 联席), so a stretch of Chinese in the query that is
not an indexed word is compared with the words of titles and tags (what records are
about) of its length that differ from it in one character; the one found in most
documents is offered, and searched as an alternative of what was typed (as a synonym
would be), so the records of the right word are found too. Two-character words are
left alone: too many real words are one character apart (党建, 党校, 党委).

The vocabulary is the engine's own list of terms with their document counts (FTS5's
fts5vocab table, PostgreSQL's ts_stat), read once and kept for a few minutes; whether a
stretch is a word at all is asked of the dictionary and of the whole index (bodies too),
so neither a real word that no record uses nor one that only bodies use is "corrected".
"""

import time

from django.db import connection

from .segment import CJK_RUN, domain_segmenter, normalise, query_words

#: How long a vocabulary read from the index serves suggestions before it is read again.
VOCABULARY_SECONDS = 600
MIN_CHARS, MAX_CHARS = 3, 8
#: A correction must be a word of at least this many documents' titles or tags.
MIN_DOCUMENTS = 2

_vocabulary = {"read_at": None, "nearest": None}


def _title_and_tag_terms():
    """{term: documents} of the title and tag fields."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Per field: a document with the word in its title and its tags counts
            # once in each, so the larger of the two is the lower bound of documents.
            cursor.execute(
                "SELECT term, max(doc) FROM search_fts_vocab_col "
                "WHERE col IN ('title_tokens', 'tag_tokens') GROUP BY term"
            )
        else:
            # Weights A and B are the title and tag fields (engine_sql.POSTGRES_CLASSES).
            cursor.execute(
                "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM "
                "search_searchdocument', 'AB')"
            )
        return {
            term: count
            for term, count in cursor.fetchall()
            if MIN_CHARS <= len(term) <= MAX_CHARS
            and count >= MIN_DOCUMENTS
            and CJK_RUN.fullmatch(term)
        }


def nearest_terms():
    """{(length, position, term without that character): (term, documents)}, the most
    frequent term for each one-character wildcard: a lookup per position finds the
    words one character away from a stretch without scanning the vocabulary."""
    read_at = _vocabulary["read_at"]
    if read_at is None or time.monotonic() - read_at > VOCABULARY_SECONDS:
        nearest = {}
        for term, count in _title_and_tag_terms().items():
            for i in range(len(term)):
                key = (i, term[:i] + term[i + 1 :])
                if key not in nearest or count > nearest[key][1]:
                    nearest[key] = (term, count)
        _vocabulary.update(read_at=time.monotonic(), nearest=nearest)
    return _vocabulary["nearest"]


def forget_vocabulary():
    """Read the vocabulary again at the next query (tests; after a rebuild)."""
    _vocabulary.update(read_at=None, nearest=None)


def is_indexed(term):
    """Whether any document has ``term`` as a word, in any field."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM search_fts_vocab WHERE term = %s", [term])
        else:
            cursor.execute(
                "SELECT 1 FROM search_searchdocument WHERE search_vector @@ "
                "to_tsquery('simple', %s) LIMIT 1",
                ["'" + term.replace("'", "''").replace("\\", "\\\\") + "'"],
            )
        return cursor.fetchone() is not None


def closest(stretch, nearest):
    """The most frequent title or tag word one character away from ``stretch``."""
    found = [nearest.get((i, stretch[:i] + stretch[i + 1 :])) for i in range(len(stretch))]
    found = [f for f in found if f and f[0] != stretch]
    return max(found, key=lambda f: f[1])[0] if found else None


def corrections(q):
    """[(typed, corrected)] for the stretches of ``q`` that are no indexed word and are
    one character from a title or tag word. A stretch of Chinese is tried whole first
    (联系会议 is two good words, 联系 / 会议, but not the word 联席会议), then word by word."""
    text = normalise(q)
    found = []
    nearest = None
    jieba = domain_segmenter()
    for run in CJK_RUN.findall(text):
        if len(run) > 2 * MAX_CHARS:
            continue
        pieces = [run] if MIN_CHARS <= len(run) <= MAX_CHARS else []
        pieces += [w for w in query_words(run) if MIN_CHARS <= len(w) <= MAX_CHARS and w != run]
        for piece in pieces:
            # A word of the dictionary (居委会) is what was meant, even when no record
            # has it: correcting it to a neighbour (党委会) would change the question.
            if jieba.has_word(piece) or is_indexed(piece):
                if piece == run:
                    break  # the whole stretch is a word: nothing to correct
                continue
            nearest = nearest_terms() if nearest is None else nearest
            better = closest(piece, nearest)
            if better:
                found.append((piece, better))
                break
    return found


def corrected(q, found):
    """``q`` with the corrections applied, or "" when there are none."""
    text = normalise(q).strip()
    for typed, better in found:
        text = text.replace(typed, better, 1)
    return text if found else ""
