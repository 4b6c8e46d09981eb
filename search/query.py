"""The query API shared by the search page, ``/api/search/`` and ``search_archive``.

A query is parsed once into clauses (all must match); a clause is a list of
alternatives (any may match); an alternative is a list of index tokens (all
must be present). Each backend turns that structure into its own syntax, so
user input never reaches an engine's query language: FTS operators, quotes and
brackets typed by a user are just characters.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .segment import CJK_CHAR, loose_tokens, normalise, query_words, word_alternatives

MAX_QUERY_CHARS = 200
MAX_WORDS = 24
MAX_PER_PAGE = 100
SORTS = ("relevance", "date")
FILTERS = ("type", "year", "district", "street", "community", "unit", "tag")


#: Elasticsearch's ``minimum_should_match`` for the query words, "2<75%": one or two
#: words must all match; of three or more, three quarters (rounded down: 2 of 3, 3 of 4).
MINIMUM_SHOULD_MATCH = "2<75%"
#: Up to this many clauses each count of matched clauses is its own tier; the "at least
#: k of n" expressions grow as n choose k beyond it.
MAX_TIERED_CLAUSES = 8
#: A result list shorter than this is followed by the records matching fewer clauses
#: than the minimum, then by those sharing only a part of a query word (see
#: ParsedQuery.fill_tiers): one page of results whenever that many records share anything.
FILL = 10
#: The tier of records that match no clause but share a loose token with the query.
LOOSE_TIER = (0, 1)


def minimum_should_match(n):
    """MINIMUM_SHOULD_MATCH for ``n`` clauses, computed as Elasticsearch does."""
    return n if n <= 2 else (n * 3) // 4


def at_least(k, clauses):
    """Combinations of ``k`` of ``clauses`` (any one of them matching means at least k
    clauses match); a backend joins each with AND and the combinations with OR."""
    from itertools import combinations

    return [list(combo) for combo in combinations(clauses, k)]


class BadQuery(ValueError):
    """A request that cannot be answered; the message is shown to the user."""


@dataclass
class SearchRequest:
    q: str = ""
    type: str = ""
    year: int | None = None
    district: str = ""
    street: str = ""
    community: str = ""
    unit: str = ""
    tag: str = ""
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"

    @classmethod
    def from_params(cls, params):
        """Build from a mapping of strings (GET parameters, CLI options); BadQuery on nonsense."""

        def text(name):
            return str(params.get(name) or "").strip()[:MAX_QUERY_CHARS]

        def number(name, default, low, high):
            raw = text(name)
            if not raw:
                return default
            try:
                value = int(raw)
            except ValueError:
                raise BadQuery(_("参数 %(name)s 应为整数，收到“%(value)s”。") % {
                    "name": name, "value": raw}) from None  # fmt: skip
            if not low <= value <= high:
                raise BadQuery(_("参数 %(name)s 应在 %(low)d 到 %(high)d 之间。") % {
                    "name": name, "low": low, "high": high})  # fmt: skip
            return value

        sort = text("sort") or "relevance"
        if sort not in SORTS:
            raise BadQuery(_("排序方式只能是 relevance（相关度）或 date（日期）。"))
        return cls(
            q=text("q"),
            type=text("type"),
            year=number("year", None, 1900, 2100),
            district=text("district"),
            street=text("street"),
            community=text("community"),
            unit=text("unit"),
            tag=text("tag"),
            page=number("page", 1, 1, 10_000),
            per_page=number("limit", None, 1, MAX_PER_PAGE)
            or number("per_page", 10, 1, MAX_PER_PAGE),
            sort=sort,
        )

    @property
    def offset(self):
        return (self.page - 1) * self.per_page

    def active_filters(self):
        return {name: getattr(self, name) for name in FILTERS if getattr(self, name)}


@dataclass
class ParsedQuery:
    clauses: list = field(default_factory=list)  # [[["token", ...], ...], ...]
    # True when the query names an organisation (幸福里社区): organisation pages are then
    # ranked among the records instead of after them (see service.names_organisation).
    names_organisation: bool = False
    # False when no organisation page is indexed (nothing to rank apart).
    organisations_indexed: bool = True
    # Tokens any of which relates a record to the query (the words and synonym terms
    # and their search-mode parts, 停车难 -> 停车): the last tier of a short list.
    loose: list = field(default_factory=list)

    @property
    def minimum_should_match(self):
        """How many clauses a record must match to be found at all (before the fallback)."""
        return minimum_should_match(len(self.clauses))

    def tiers(self):
        """The result list in order, as (at least, fewer than) clause counts: records
        matching every clause, then each count down to the minimum. ``fewer than`` is
        None for the first tier. Past MAX_TIERED_CLAUSES clauses the steps in between
        would need too many combinations to write out: all, then the rest.

        Records found through a synonym rank with those that have the words as typed:
        putting the typed words first was measured to lower every number of the
        labelled set (evaluate_search; synonym recall 0.71 -> 0.67)."""
        n = len(self.clauses)
        if n > MAX_TIERED_CLAUSES:
            return [(n, None)]
        return [(n, None)] + [(k, k + 1) for k in range(n - 1, self.minimum_should_match - 1, -1)]

    def fallback_tier(self):
        """Records matching fewer clauses than the minimum but at least one, asked for
        only when no record reaches the minimum: never an empty page when something
        matches part of the query. None when there is nothing below the minimum."""
        n = len(self.clauses)
        low = n if n > MAX_TIERED_CLAUSES else self.minimum_should_match
        return (1, low) if low > 1 else None

    def fill_tiers(self):
        """The tiers that follow a list shorter than FILL: the records matching fewer
        clauses than the minimum (1 to the minimum), then LOOSE_TIER, the records
        that match no clause but share a loose token (停车秩序 for 停车难, 物业服务 for
        红色物业). They come after every record matching more, so they change nothing
        above them; the naive baseline (any token, bm25) found these and we did not."""
        fallback = self.fallback_tier()
        return ([fallback] if fallback else []) + ([LOOSE_TIER] if self.loose else [])

    @property
    def terms(self):
        """Every token any clause may match, longest first (for highlighting)."""
        found = {t for clause in self.clauses for alt in clause for t in alt}
        return sorted(found, key=len, reverse=True)

    def __bool__(self):
        return bool(self.clauses)


def parse(q, synonym_groups=()):
    """Cut ``q`` into clauses, expanding synonym groups found in it.

    Where groups overlap (义工 in 志愿者 = 义工, 义工队 in 志愿服务队 = 义工队), the longest
    term found in the query wins, whatever the groups' order."""
    text = normalise(q)[:MAX_QUERY_CHARS]
    found = []
    for group in synonym_groups:
        group = [normalise(term) for term in group]
        hit = next((term for term in sorted(group, key=len, reverse=True) if term in text), None)
        if hit is not None:
            found.append((hit, group))
    # Every group holding the term found is one clause: the admin's groups and the
    # thesaurus's may both name it, and which was saved first must not matter.
    merged = {}
    for hit, group in found:
        merged.setdefault(hit, []).extend(t for t in group if t not in merged.get(hit, []))
    clauses, loose = [], []
    for hit, group in sorted(merged.items(), key=lambda pair: (-len(pair[0]), pair[0])):
        if hit not in text:
            continue  # a longer term of another group took these words
        text = text.replace(hit, " ")
        group = [hit, *(t for t in group if t != hit)]
        clauses.append(_dedupe([a for term in group for a in _term_alternatives(term)]))
        loose += [t for term in group for word in query_words(term) for t in loose_tokens(word)]
    for word in content_words(query_words(text))[:MAX_WORDS]:
        clauses.append(word_alternatives(word))
        loose += loose_tokens(word)
    return ParsedQuery(clauses=clauses, loose=list(dict.fromkeys(loose)))


def content_words(words):
    """``words`` without the single Chinese characters, unless nothing else is left.

    jieba leaves a character alone when no dictionary word holds it (暑假 / 看 / 孩子,
    教 / 老人 / 用 / 手机); as a clause of its own it counted towards the minimum and
    matched any record with that character anywhere (回头看 for 暑假看孩子)."""
    longer = [w for w in words if not CJK_CHAR.fullmatch(w)]
    return longer or words


def _term_alternatives(term):
    """How a synonym term may appear in the index: its words, and for a one-word term
    the same alternatives as a typed word (plain parts, character pairs). Keeping the
    pairs for every term of a group was measured: without them, synonym recall@10 0.69
    instead of 0.71 (the expression is longer, and the query a little slower)."""
    words = query_words(term)
    if not words:
        return []
    if len(words) == 1:
        return [words, *(a for a in word_alternatives(words[0]) if a != words)]
    return [words]


def _dedupe(alternatives):
    seen, result = set(), []
    for alt in alternatives:
        key = tuple(alt)
        if key not in seen:
            seen.add(key)
            result.append(alt)
    return result


def highlight(text, terms, width=None):
    """HTML-escaped ``text`` (or a window of ``width`` characters around the first
    match) with every occurrence of ``terms`` wrapped in <mark>."""
    text = text or ""
    folded = normalise(text)
    # NFKC keeps CJK the same length; when it does not (rare ligatures) fall back.
    if len(folded) != len(text):
        folded = text.lower()
    prefix = suffix = ""
    if width and len(text) > width:
        hits = [p for p in (folded.find(t) for t in terms if t) if p >= 0]
        begin = max(0, min(min(hits, default=0) - width // 4, len(text) - width))
        finish = begin + width
        prefix = "…" if begin > 0 else ""
        suffix = "…" if finish < len(text) else ""
        text, folded = text[begin:finish], folded[begin:finish]
    if not terms:
        return mark_safe(prefix + escape(text) + suffix)
    pattern = re.compile("|".join(re.escape(t) for t in terms if t))
    out, last = [], 0
    for match in pattern.finditer(folded):
        out.append(escape(text[last : match.start()]))
        out.append("<mark>" + escape(text[match.start() : match.end()]) + "</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe(prefix + "".join(out) + suffix)


@dataclass
class SearchResponse:
    request: SearchRequest
    total: int = 0
    results: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    backend: str = ""
    # True when facet counts were estimated from a sample of a very large result.
    facets_approximate: bool = False
    # True when no record matches every word: the results match only some of them.
    partial: bool = False
    # A query the index knows better (志原服务 -> 志愿服务), or "".
    suggestion: str = ""

    @property
    def pages(self):
        return max(1, -(-self.total // self.request.per_page))

    def as_dict(self):
        return {
            "total": self.total,
            "page": self.request.page,
            "per_page": self.request.per_page,
            "results": [r.as_dict() for r in self.results],
            "facets": self.facets,
            "facets_approximate": self.facets_approximate,
            "partial": self.partial,
            "suggestion": self.suggestion,
        }


@dataclass
class Hit:
    document: object
    score: float
    snippet: str = ""
    title_html: str = ""
    promoted: bool = False

    def as_dict(self):
        d = self.document
        return {
            "source_id": d.source_id,
            "page_id": d.page_id,
            "type": d.doc_type,
            "title": d.title,
            "url": d.url,
            "date": d.date.isoformat() if isinstance(d.date, date) else d.date,
            "unit": d.unit,
            "snippet": str(self.snippet),
            "score": round(float(self.score), 4),
            "promoted": self.promoted,
        }
