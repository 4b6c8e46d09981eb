"""Chinese segmentation for the archive index and its queries.

Chinese has no spaces, so the index stores text already cut into words (by
rjieba, jieba's Rust port: same dictionary and algorithm, much faster) and the
engines (SQLite FTS5, PostgreSQL ``simple`` text search, Elasticsearch's
whitespace analyzer) only split on spaces.

Documents are cut in *search mode*, which emits a long word and the dictionary
words inside it (区域化党建 -> 区域, 区域化, 党建, 区域化党建), so a query for a
word inside a compound finds it. Queries are cut in *precise mode*; a query
word that the domain dictionary keeps whole also matches the words a plain
jieba dictionary would cut it into, so text segmented before a term was added
to the dictionary is still found.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

import rjieba

DICTIONARY = Path(__file__).with_name("dictionary.txt")

# Function words that carry no meaning for retrieval.
STOPWORDS = frozenset("的了和与及或到在是为对把被将由从以等之其这那也就都而并于上中下个")
# A token is kept when it has a letter or digit in it (drops punctuation and space).
MEANINGFUL = re.compile(r"\w", re.UNICODE)


def load_dictionary_lines(path=DICTIONARY):
    """(word, frequency or None, tag or None) for each entry of the domain dictionary."""
    entries = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else None
        entries.append((parts[0], freq, tag))
    return entries


@cache
def domain_segmenter():
    """A jieba instance with the domain dictionary loaded (once per process)."""
    jieba = rjieba.Jieba()
    for word, freq, tag in load_dictionary_lines():
        jieba.add_word(word, freq, tag)
    return jieba


@cache
def plain_segmenter():
    """jieba's own dictionary only: how text was cut before a domain term existed."""
    return rjieba.Jieba()


def normalise(text):
    """Full-width to half-width (ＡＰＰ -> APP, ２０２１ -> 2021) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _keep(token):
    return token not in STOPWORDS and MEANINGFUL.search(token) is not None


def _single_pairs(tokens, jieba):
    """Words jieba split into two single characters (报到 -> 报 / 到, since both
    characters are frequent on their own): yields (index, merged word)."""
    for i in range(len(tokens) - 1):
        a, b = tokens[i], tokens[i + 1]
        if len(a) == 1 and len(b) == 1 and jieba.has_word(a + b):
            yield i, a + b


def _merged_cut(jieba, text):
    """Precise cut, with 报 / 到 rejoined into 报到 as the index does."""
    tokens = jieba.cut(text)
    for i, word in reversed(list(_single_pairs(tokens, jieba))):
        if len(tokens[i]) == 1 and len(tokens[i + 1]) == 1:
            tokens[i : i + 2] = [word]
    return tokens


def index_tokens(text):
    """Tokens to index for ``text``: search mode, so compounds carry their parts,
    plus the dictionary words jieba split into single characters."""
    jieba = domain_segmenter()
    tokens = jieba.cut_for_search(normalise(text))
    tokens += [word for _i, word in _single_pairs(tokens, jieba)]
    return [t for t in tokens if _keep(t.strip())]


def index_text(text):
    """``index_tokens`` joined by spaces, the form every engine stores."""
    return " ".join(token.strip() for token in index_tokens(text))


def query_words(text):
    """The words of a query, in order, without duplicates or stopwords."""
    words = []
    for token in _merged_cut(domain_segmenter(), normalise(text)):
        token = token.strip()
        if _keep(token) and token not in words:
            words.append(token)
    return words


def word_alternatives(word):
    """Ways a query word can appear in the index: whole, or as the plain-dictionary parts.

    Returns a list of alternatives, each a list of tokens that must all match.
    """
    alternatives = [[word]]
    parts = [p for p in _merged_cut(plain_segmenter(), word) if _keep(p)]
    if len(parts) > 1 and parts != [word]:
        alternatives.append(parts)
    return alternatives
