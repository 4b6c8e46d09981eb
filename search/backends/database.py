"""The embedded default: SQLite FTS5 locally, PostgreSQL full text in production.

Both search the same pre-segmented token columns of ``SearchDocument``; only the
match expression and the ranking function differ. Filters and facets are plain
SQL over the document table, shared by both.
"""

from django.db import connection

from ..documents import ORGANISATION_MARKER
from ..models import SearchDocument
from ..query import FILL, Hit, SearchResponse, at_least

# What a hit shows (title, snippet, place, date, link); the token columns stay unread.
SHOWN_FIELDS = ("page_id", "doc_type", "source_id", "title", "body", "date", "year",
                "district", "street", "community", "unit", "url", "tag_list",
                "collapse_key")  # fmt: skip

DOC = "search_searchdocument"
FACET_COLUMNS = ("doc_type", "year", "district", "street", "community", "tag_list")
FACET_NAMES = ("type", "year", "district", "street", "community")
FACET_LIMIT = 30
# The covering index of the facet columns (engine_sql.SQLITE_FACET_INDEX_CREATE).
FACET_INDEX = "search_document_facets"
# Facet counts are exact up to this many matches; above it they are estimated from a
# sample of between half and all of this many matches (the total stays exact), so a
# query never reads more documents for its facets than this.
FACET_ROWS = 2000
# 2**32 / golden ratio: multiplying ids by it scatters consecutive ids evenly.
FIBONACCI = 2654435769
# Field weights, in the order of engine_sql.COLUMNS: a word in the title says most about
# what a record is, then its tags and kind, then the body; the organisations above it
# and its year say where and when (many records share them), so they weigh least
# beside the body, which carries many words. Measured on the labelled set
# (evaluate_search): see README, search section.
FIELD_WEIGHTS = (10.0, 5.0, 1.0, 1.0)
# PostgreSQL's four classes {D, C, B, A} = body, organisations, tags, title; ranked by
# ts_rank with this normalisation (1: divided by 1 + the log of the document's length,
# as bm25 discounts long documents).
POSTGRES_WEIGHTS = "{0.1, 0.1, 0.5, 1.0}"
POSTGRES_NORMALISATION = 1
# Rows ranked past the shown page so that copies of a case dropped from it leave no gap.
COLLAPSE_SLACK = 10


def _has_facet_index(cursor):
    """Whether the database has the covering facet index (migration 0007 makes it),
    asked once per database."""
    name = connection.settings_dict["NAME"]
    if name not in _FACET_INDEX_PRESENT:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = %s", [FACET_INDEX]
        )
        _FACET_INDEX_PRESENT[name] = cursor.fetchone() is not None
    return _FACET_INDEX_PRESENT[name]


_FACET_INDEX_PRESENT = {}


def fts5_quote(token):
    return '"' + token.replace('"', '""') + '"'


def tsquery_quote(token):
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def load_documents(rows):
    """The documents of ranked rows, bodies and all (for snippets), tokens unread."""
    return SearchDocument.objects.only(*SHOWN_FIELDS).in_bulk([row[0] for row in rows])


class Syntax:
    """How one engine writes the parsed query: quoted tokens joined by its operators."""

    def __init__(self, quote, and_, or_, not_):
        self.quote, self.and_, self.or_, self.not_ = quote, and_, or_, not_

    def clause(self, clause):
        return (
            "("
            + self.or_.join("(" + self.and_.join(map(self.quote, alt)) + ")" for alt in clause)
            + ")"
        )

    def at_least(self, k, clauses):
        """Records matching at least ``k`` of ``clauses``."""
        return (
            "("
            + self.or_.join(
                "(" + self.and_.join(self.clause(c) for c in combo) + ")"
                for combo in at_least(k, clauses)
            )
            + ")"
        )

    def any_of(self, tokens):
        return "(" + self.or_.join(map(self.quote, tokens)) + ")"

    def shown(self, parsed, low):
        """Every record of the tiers down to ``low`` clauses (0: and the loose tier)."""
        expression = self.at_least(max(low, 1), parsed.clauses)
        return f"({expression}{self.or_}{self.any_of(parsed.loose)})" if low == 0 else expression

    def tier(self, parsed, low, high=None, organisations=None):
        """Records matching at least ``low`` clauses and fewer than ``high``; only the
        organisation pages (True), none of them (False) or both (None). ``low`` 0 is
        the loose tier: any of the query's loose tokens (with ``high`` 1: no clause)."""
        expression = self.any_of(parsed.loose) if low == 0 else self.at_least(low, parsed.clauses)
        if high is not None:
            expression += self.not_ + self.at_least(high, parsed.clauses)
        if organisations is not None:
            marker = self.quote(ORGANISATION_MARKER)
            expression = f"({expression})" + (self.and_ if organisations else self.not_) + marker
        return expression


FTS5 = Syntax(fts5_quote, " AND ", " OR ", " NOT ")
TSQUERY = Syntax(tsquery_quote, " & ", " | ", " & !")


def fts5_expression(parsed):
    """FTS5 MATCH syntax for records matching every clause of a parsed query."""
    return FTS5.at_least(len(parsed.clauses), parsed.clauses)


def tsquery_expression(parsed):
    """PostgreSQL tsquery syntax for records matching every clause of a parsed query."""
    return TSQUERY.at_least(len(parsed.clauses), parsed.clauses)


class DatabaseBackend:
    name = "database"
    unavailable_errors = ()
    available = True

    # -- index upkeep: the document table is the index; nothing to mirror ----
    def mirror(self, documents):
        pass

    def mirror_delete(self, ids):
        pass

    def rebuild(self, progress=None):
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")

    # -- querying ---------------------------------------------------------
    @staticmethod
    def _syntax():
        vendor = connection.vendor
        if vendor == "sqlite":
            return FTS5
        if vendor == "postgresql":
            return TSQUERY
        raise NotImplementedError(f"archive search does not support {vendor}")

    @staticmethod
    def _match(expression):
        """(FROM fragment, WHERE fragment, params, score expression) for a text match."""
        if expression is None:
            return f"{DOC} d", "1=1", [], "0"
        if connection.vendor == "sqlite":
            weights = ", ".join(map(str, FIELD_WEIGHTS))
            return (
                f"search_fts JOIN {DOC} d ON d.id = search_fts.rowid",
                "search_fts MATCH %s",
                [expression],
                f"-bm25(search_fts, {weights})",
            )
        return (
            f"{DOC} d",
            "d.search_vector @@ to_tsquery('simple', %s)",
            [expression],
            f"ts_rank('{POSTGRES_WEIGHTS}', d.search_vector, to_tsquery('simple', %s), "
            f"{POSTGRES_NORMALISATION})",
        )

    def _filters(self, request):
        where, params = [], []
        simple = {
            "doc_type": request.type,
            "year": request.year,
            "district": request.district,
            "street": request.street,
            "community": request.community,
        }
        for column, value in simple.items():
            if value:
                where.append(f"d.{column} = %s")
                params.append(value)
        if request.unit:
            unit = request.unit.strip("/")
            where.append(
                "(d.org_path LIKE %s OR d.org_path LIKE %s OR d.org_titles LIKE %s"
                " OR d.org_titles LIKE %s OR d.unit = %s)"
            )
            params += [f"{unit}/%", f"%/{unit}/%", f"{unit}/%", f"%/{unit}/%", unit]
        if request.tag:
            function = "instr" if connection.vendor == "sqlite" else "strpos"
            where.append(f"{function}(d.tag_list, %s) > 0")
            params.append(f"\n{request.tag}\n")
        return where, params

    def _count(self, cursor, expression, filters, filter_params):
        source, match, params, _score = self._match(expression)
        if connection.vendor == "sqlite" and not filters and expression is not None:
            # FTS5 counts its own matches without reading a document row.
            cursor.execute(f"SELECT count(*) FROM search_fts WHERE {match}", params)
        else:
            where = " AND ".join([match, *filters])
            cursor.execute(
                f"SELECT count(*) FROM {source} WHERE {where}", [*params, *filter_params]
            )
        return cursor.fetchone()[0]

    def _segments(self, cursor, parsed, tiers, filters, filter_params):
        """The ranked list as consecutive segments [(expression, count, tier)]: each tier of
        matched clauses, its records before its organisation pages unless the query
        names an organisation."""
        syntax = self._syntax()
        segments = []
        for tier in tiers:
            low, high = tier
            expression = syntax.tier(parsed, low, high)
            count = self._count(cursor, expression, filters, filter_params)
            if not count:
                continue
            if parsed.names_organisation or not parsed.organisations_indexed:
                segments.append((expression, count, tier))
                continue
            organisations = self._count(
                cursor, syntax.tier(parsed, low, high, True), filters, filter_params
            )
            if count - organisations:
                archive = syntax.tier(parsed, low, high, False)
                segments.append((archive, count - organisations, tier))
            if organisations:
                organisation_pages = syntax.tier(parsed, low, high, True)
                segments.append((organisation_pages, organisations, tier))
        return segments

    def _ranked(self, cursor, segments, filters, filter_params, limit):
        """The first ``limit`` (id, score) rows of the ranked list, segment by segment."""
        rows = []
        for expression, count, _tier in segments:
            if len(rows) >= limit:
                break
            source, match, params, score = self._match(expression)
            take = min(count, limit - len(rows))
            if connection.vendor == "sqlite" and not filters:
                # The floor query itself: rank inside the FTS table, join nothing.
                cursor.execute(
                    f"SELECT rowid, {score} AS score FROM search_fts WHERE {match} "
                    "ORDER BY score DESC, rowid DESC LIMIT %s",
                    [*params, take],
                )
            else:
                where = " AND ".join([match, *filters])
                score_params = params if "%s" in score else []
                cursor.execute(
                    f"SELECT d.id, {score} AS score FROM {source} WHERE {where} "
                    "ORDER BY score DESC, d.id DESC LIMIT %s",
                    [*score_params, *params, *filter_params, take],
                )
            rows += cursor.fetchall()
        return rows

    @staticmethod
    def _collapse(cursor, rows, keys):
        """``rows`` without the later ones of each underlying case (a case and its
        compilation copies share a collapse key; the best ranked stands for them).
        Keys shared by articles only (two compilations' 前言) do not collapse: only a
        key that a typical case has. Returns (kept rows, number dropped)."""
        counts = {}
        for pk, _score in rows:
            key = keys.get(pk)
            if key:
                counts[key] = counts.get(key, 0) + 1
        shared = [key for key, count in counts.items() if count > 1]
        if not shared:
            return rows, 0
        marks = ", ".join(["%s"] * len(shared))
        cursor.execute(
            f"SELECT DISTINCT collapse_key FROM {DOC} WHERE doc_type = 'case' "
            f"AND collapse_key IN ({marks})",
            shared,
        )
        cases = {row[0] for row in cursor.fetchall()}
        seen, kept = set(), []
        for row in rows:
            key = keys.get(row[0])
            if key in cases:
                if key in seen:
                    continue
                seen.add(key)
            kept.append(row)
        return kept, len(rows) - len(kept)

    def search(self, request, parsed):
        filters, filter_params = self._filters(request)
        syntax = self._syntax()
        with connection.cursor() as cursor:
            if parsed:
                tiers = parsed.tiers()
                segments = self._segments(cursor, parsed, tiers, filters, filter_params)
                lowest = tiers[-1][0]
                # Partial: no record matches every clause (word or synonym group).
                partial = not segments or segments[0][2][1] is not None
                fill = parsed.fill_tiers()
                if fill and sum(segment[1] for segment in segments) < FILL:
                    segments += self._segments(cursor, parsed, fill, filters, filter_params)
                    lowest = fill[-1][0]
                # Every record shown, whatever its tier: facets and date order use it.
                shown = syntax.shown(parsed, lowest)
            else:
                count = self._count(cursor, None, filters, filter_params)
                segments, shown, partial = [(None, count, None)], None, False
            total = sum(segment[1] for segment in segments)
            if not total:
                return SearchResponse(request=request, backend=self.name, partial=bool(parsed))
            source, match, params, _score = self._match(shown)
            where = " AND ".join([match, *filters])
            # PostgreSQL reads every matching row even to count them (a GIN bitmap
            # scan), so its facets are always counted exactly.
            groups, scale = self._facet_groups(
                cursor, source, where, [*params, *filter_params],
                total if connection.vendor == "sqlite" else None,
            )  # fmt: skip
            dropped, rows, documents = 0, [], {}
            if request.offset < total:
                if request.sort == "relevance" and parsed:
                    # Ranked past the page, so that copies of a case dropped from it
                    # leave no gap; the documents read for it are the page's own.
                    limit = request.offset + request.per_page + COLLAPSE_SLACK
                    while True:
                        ranked = self._ranked(cursor, segments, filters, filter_params, limit)
                        documents = load_documents(ranked[request.offset :])
                        keys = {pk: d.collapse_key for pk, d in documents.items()}
                        if request.offset:  # the pages before: their keys only
                            keys.update(
                                SearchDocument.objects.filter(
                                    pk__in=[pk for pk, _s in ranked[: request.offset]]
                                ).values_list("pk", "collapse_key")
                            )
                        rows, dropped = self._collapse(cursor, ranked, keys)
                        if len(rows) >= request.offset + request.per_page or len(ranked) < limit:
                            break
                        limit *= 2
                    rows = rows[request.offset : request.offset + request.per_page]
                else:
                    cursor.execute(
                        f"SELECT d.id, 0 AS score FROM {source} WHERE {where} "
                        "ORDER BY d.date DESC, d.id DESC LIMIT %s OFFSET %s",
                        [*params, *filter_params, request.per_page, request.offset],
                    )
                    rows = cursor.fetchall()
                    documents = load_documents(rows)
        facets = self._facets(groups, scale or 1) if scale else {}
        hits = [Hit(document=documents[pk], score=score) for pk, score in rows if pk in documents]
        return SearchResponse(request=request, total=total - dropped, results=hits,
                              facets=facets, backend=self.name, partial=partial,
                              facets_approximate=scale != 1)  # fmt: skip

    @staticmethod
    def _facet_groups(cursor, source, where, params, total):
        """Per-facet (facet index, value, count) rows, and the scale to apply to them
        (1 when every match was counted, None when a sample found nothing to scale).
        ``total`` None: count every match (the caller takes the total from the rows).

        Every match is read up to FACET_ROWS matches; above it a sample of at most
        FACET_ROWS of them is read and the counts are scaled up by the caller, so a
        common word costs about the same as a rarer one. The sample keeps the ids whose
        Fibonacci hash falls below a threshold: spread over all years and places (the
        first N ids would be the oldest documents) and blind to periodic patterns in the
        ids (every k-th id is not: documents imported in a repeating order alias). The
        sample is materialised once and grouped per facet in SQL, so only a few dozen
        rows reach Python."""
        stride = 1 if total is None else -(-total // FACET_ROWS)
        if source.startswith("search_fts") and _has_facet_index(cursor):
            # SQLite's planner looks the matches up by rowid in the table, whose rows hold
            # the body and its tokens before the facet columns: the covering index reads
            # a fraction of the pages (a third of the facet pass at 20,000 documents).
            source = source.replace(f"JOIN {DOC} d ON", f"JOIN {DOC} d INDEXED BY {FACET_INDEX} ON")
        # Filter on the FTS rowid where there is one, so unsampled matches are never joined.
        id_column = "search_fts.rowid" if source.startswith("search_fts") else "d.id"
        sample = (
            f" AND ({id_column} * {FIBONACCI}) %% {2**32} < {2**32 // stride}" if stride > 1 else ""
        )
        columns = ", ".join(f"d.{c}" for c in FACET_COLUMNS)
        # One value column for every facet: PostgreSQL unites only one type.
        grouped = " UNION ALL ".join(
            f"SELECT {n}, CAST({c} AS TEXT), count(*) FROM sample GROUP BY {c}"
            for n, c in enumerate(FACET_COLUMNS)
        )
        # MATERIALIZED: read the matching rows once, not once per facet.
        cursor.execute(
            f"WITH sample AS MATERIALIZED (SELECT {columns} FROM {source} WHERE {where}{sample}) "
            f"{grouped}",
            params,
        )
        groups = cursor.fetchall()
        if stride == 1:
            return groups, 1
        sampled = sum(count for n, _value, count in groups if n == 0)
        return groups, total / sampled if sampled else None

    @staticmethod
    def _facets(groups, scale=1):
        names = (*FACET_NAMES, "tag")
        counters = {name: {} for name in names}
        for n, value, count in groups:
            counter = counters[names[n]]
            if value in (None, ""):
                continue
            if names[n] == "year":
                values = [int(value)]
            elif names[n] == "tag":
                values = [tag for tag in value.split("\n") if tag]
            else:
                values = [value]
            for value in values:
                counter[value] = counter.get(value, 0) + count
        facets = {}
        for name, counts in counters.items():
            if name == "year":
                ordered = sorted(counts.items(), key=lambda kv: -kv[0])
            else:
                ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
            facets[name] = [
                {"value": v, "count": max(1, round(c * scale))} for v, c in ordered[:FACET_LIMIT]
            ]
        return facets
