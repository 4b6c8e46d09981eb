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

import operator
import re
import unicodedata
from functools import cache
from pathlib import Path

import rjieba

DICTIONARY = Path(__file__).with_name("dictionary.txt")

# Function words that carry no meaning for retrieval.
STOPWORDS = frozenset("的了和与及或到在是为对把被将由从以等之其这那也就都而并于上中下个")
# Words that make a query a question (社区如何开展志愿服务) and say nothing about the
# records wanted; dropped from queries only (a text's words are all indexed).
QUESTION_WORDS = frozenset(
    [
        "如何",
        "怎么",
        "怎样",
        "怎么样",
        "什么",
        "哪些",
        "哪里",
        "哪个",
        "为什么",
        "是否",
        "有没有",
        "有哪些",
        "请问",
        "关于",
        "有关",
        "一下",
        "查找",
        "查询",
        "查看",
        "想",
        "要",
    ]
)
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


def _nfkc_stable_class():
    """A regex class of the characters most archive text is made of (ASCII, CJK
    ideographs, CJK and general punctuation) that NFKC leaves as they are."""
    ranges = [(0x20, 0x7E), (0x2000, 0x206F), (0x3001, 0x303F), (0x3400, 0x4DBF),
              (0x4E00, 0x9FFF)]  # fmt: skip
    stable = [
        c
        for low, high in ranges
        for c in range(low, high + 1)
        if unicodedata.normalize("NFKC", chr(c)) == chr(c) and not unicodedata.combining(chr(c))
    ]
    spans = []  # consecutive code points as one range each: a short class is a fast one
    for c in stable:
        if spans and spans[-1][1] == c - 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in spans)


# Text with nothing but these characters (and line breaks) is already in NFKC: normalising
# it, a fifth of the time it takes to cut a text, is skipped.
NEEDS_NFKC = re.compile(f"[^{_nfkc_stable_class()}\n\r\t]")


# Full-width ASCII (，：ＡＰＰ２０２１) and the ideographic space, as NFKC maps them: replacing
# them first leaves most Chinese text with nothing else to normalise.
FULL_WIDTH = re.compile("[\uff01-\uff5e]+|\u3000")
HALF_WIDTH = {0x3000: " ", **{c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}}


def _half_width(match):
    return match.group().translate(HALF_WIDTH)


def normalise(text):
    """Full-width to half-width (ＡＰＰ -> APP, ２０２１ -> 2021) and lower case."""
    text = FULL_WIDTH.sub(_half_width, text or "")
    if NEEDS_NFKC.search(text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


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


CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}")
CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


# Pairs of two stopwords (的了), which no bigram list keeps.
STOP_PAIRS = frozenset(a + b for a in STOPWORDS for b in STOPWORDS)


def bigrams(text):
    """Overlapping character pairs of every run of Chinese characters (幸福里 -> 幸福, 福里)."""
    pairs = (run[i : i + 2] for run in CJK_RUN.findall(text) for i in range(len(run) - 1))
    return [p for p in pairs if p not in STOP_PAIRS]


def index_tokens(text):
    """Tokens to index for ``text``.

    Words in search mode (compounds carry their parts), the dictionary words
    jieba split into single characters, and character bigrams. The bigrams are
    the safety net for words the query and the text segment differently (幸福里
    alone is one word; in 幸福里社区 jieba cuts 幸福 / 里社区): any word of two or
    more characters is found through its pairs. Pairs that are words already are
    not repeated, so word frequencies, which drive ranking, stay as they were.

    Written for speed (indexing cuts every document once): which raw tokens are kept
    and which character pairs are words are remembered across calls, since a few
    thousand distinct tokens make up most of any archive.
    """
    jieba = domain_segmenter()
    text = normalise(text)
    tokens = jieba.cut_for_search(text)
    if len(_KEPT) > _MEMO_LIMIT:
        _KEPT.clear()  # start again rather than grow: the common tokens come back first
    words = [word for word in map(_KEPT.__getitem__, tokens) if word]
    # Dictionary words jieba cut into two single characters (报 / 到).
    words += [
        a + b
        for a, b in zip(tokens, tokens[1:], strict=False)
        if len(a) == 1 and len(b) == 1 and _is_word(a + b, jieba)
    ]
    known = set(words)
    pairs = [p for run in CJK_RUN.findall(text) for p in map(operator.add, run, run[1:])]
    return words + [p for p in pairs if p not in known and p not in STOP_PAIRS]


# Raw token -> the token kept for the index ("" for dropped ones), and character pair ->
# whether the dictionary has it: emptied past a bound, so an endless stream of new
# tokens cannot grow them without limit.
class _KeptTokens(dict):
    def __missing__(self, token):
        word = token.strip()
        word = self[token] = word if _keep(word) else ""
        return word


_KEPT = _KeptTokens()
_PAIRS = {}
_MEMO_LIMIT = 500_000


def _is_word(pair, jieba):
    known = _PAIRS.get(pair)
    if known is None:
        known = jieba.has_word(pair)
        if len(_PAIRS) >= _MEMO_LIMIT:
            _PAIRS.clear()
        _PAIRS[pair] = known
    return known


def index_text(text):
    """``index_tokens`` joined by spaces, the form every engine stores."""
    return " ".join(index_tokens(text))


def query_words(text):
    """The words of a query, in order, without duplicates or stopwords."""
    words = []
    for token in _merged_cut(domain_segmenter(), normalise(text)):
        token = token.strip()
        if _keep(token) and token not in QUESTION_WORDS and token not in words:
            words.append(token)
    return words


def word_alternatives(word):
    """Ways a query word can appear in the index: whole, as the plain-dictionary
    parts, or as its character pairs (for words of three or more characters).

    Returns a list of alternatives, each a list of tokens that must all match.
    """
    alternatives = [[word]]
    parts = [p for p in _merged_cut(plain_segmenter(), word) if _keep(p)]
    if len(parts) > 1 and parts != [word]:
        alternatives.append(parts)
    pairs = list(dict.fromkeys(bigrams(word)))
    if len(word) > 2 and len(pairs) > 1 and pairs not in alternatives:
        alternatives.append(pairs)
    return alternatives


def loose_tokens(word):
    """The tokens of ``word`` in search mode that can stand for it on their own, for the
    records that fill a short result list (see ``ParsedQuery.loose``): the word and
    its dictionary parts of two or more characters (停车难 -> 停车难, 停车). A single
    Chinese character (难, 看) is in too many records to say anything by itself."""
    tokens = (t.strip() for t in [word, *domain_segmenter().cut_for_search(word)])
    return list(
        dict.fromkeys(
            t for t in tokens if _keep(t) and t not in QUESTION_WORDS and not CJK_CHAR.fullmatch(t)
        )
    )


def wagtail_query(text):
    """A query for Wagtail's backend (terms ANDed, the last one a prefix): words,
    with longer Chinese words given as their character pairs, which every text
    containing them has in the index."""
    terms = []
    for word in query_words(text):
        pairs = bigrams(word)
        terms += pairs if len(word) > 2 and len(pairs) == len(word) - 1 else [word]
    return " ".join(dict.fromkeys(terms))
