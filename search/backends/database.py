"""The embedded default: SQLite FTS5 locally, PostgreSQL full text in production.

Both search the same pre-segmented token columns of ``SearchDocument``; only the
match expression and the ranking function differ. Filters and facets are plain
SQL over the document table, shared by both.
"""

from django.db import connection

from ..models import SearchDocument
from ..query import Hit, SearchResponse

DOC = "search_searchdocument"
FACET_COLUMNS = ("doc_type", "year", "district", "street", "community", "tag_list")
FACET_NAMES = ("type", "year", "district", "street", "community")
FACET_LIMIT = 30
# Facet counts are exact up to this many matches; above it they are estimated from a
# sample of between half and all of this many matches (the total stays exact), so a
# query never reads more documents for its facets than this.
FACET_ROWS = 2000
# 2**32 / golden ratio: multiplying ids by it scatters consecutive ids evenly.
FIBONACCI = 2654435769
# Title matches weigh more than body matches.
TITLE_WEIGHT = 8.0


def fts5_quote(token):
    return '"' + token.replace('"', '""') + '"'


def fts5_expression(parsed):
    """FTS5 MATCH syntax for a parsed query; every token is a quoted string."""
    return " AND ".join(
        "(" + " OR ".join("(" + " AND ".join(map(fts5_quote, alt)) + ")" for alt in clause) + ")"
        for clause in parsed.clauses
    )


def tsquery_quote(token):
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_expression(parsed):
    """PostgreSQL tsquery syntax for a parsed query."""
    return " & ".join(
        "(" + " | ".join("(" + " & ".join(map(tsquery_quote, alt)) + ")" for alt in clause) + ")"
        for clause in parsed.clauses
    )


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
    def _match(self, parsed):
        """(FROM fragment, WHERE fragment, params, score expression) for the text match."""
        vendor = connection.vendor
        if not parsed:
            return f"{DOC} d", "1=1", [], "0"
        if vendor == "sqlite":
            return (
                f"search_fts JOIN {DOC} d ON d.id = search_fts.rowid",
                "search_fts MATCH %s",
                [fts5_expression(parsed)],
                f"-bm25(search_fts, {TITLE_WEIGHT}, 1.0)",
            )
        if vendor == "postgresql":
            return (
                f"{DOC} d",
                "d.search_vector @@ to_tsquery('simple', %s)",
                [tsquery_expression(parsed)],
                "ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', d.search_vector, to_tsquery('simple', %s))",
            )
        raise NotImplementedError(f"archive search does not support {vendor}")

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

    def search(self, request, parsed):
        source, match, match_params, score = self._match(parsed)
        score_params = match_params if "%s" in score else []
        filters, filter_params = self._filters(request)
        where = " AND ".join([match, *filters])
        params = [*match_params, *filter_params]
        by_relevance = request.sort == "relevance" and parsed
        fts_only = parsed and not filters and connection.vendor == "sqlite"
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # The exact total first: without filters FTS5 counts its own matches
                # without reading a document row; with them the covering facet index
                # answers. Then facets over at most FACET_ROWS matches.
                if fts_only:
                    cursor.execute(f"SELECT count(*) FROM search_fts WHERE {match}", match_params)
                else:
                    cursor.execute(f"SELECT count(*) FROM {source} WHERE {where}", params)
                total = cursor.fetchone()[0]
                if not total:
                    return SearchResponse(request=request, backend=self.name)
                groups, scale = self._facet_groups(cursor, source, where, params, total)
            else:
                # PostgreSQL reads every matching heap row even to count them (a GIN
                # bitmap scan), so one exact facet pass gives the total as well.
                groups, scale = self._facet_groups(cursor, source, where, params, None)
                total = sum(count for n, _value, count in groups if n == 0)
            if not total:
                return SearchResponse(request=request, backend=self.name)
            rows = []
            if request.offset < total:
                if fts_only and by_relevance:
                    # The floor query itself: rank inside the FTS table, join nothing.
                    cursor.execute(
                        f"SELECT rowid, {score} AS score FROM search_fts WHERE {match} "
                        "ORDER BY score DESC LIMIT %s OFFSET %s",
                        [*match_params, request.per_page, request.offset],
                    )
                else:
                    order = "score DESC, d.id DESC" if by_relevance else "d.date DESC, d.id DESC"
                    cursor.execute(
                        f"SELECT d.id, {score} AS score FROM {source} WHERE {where} "
                        f"ORDER BY {order} LIMIT %s OFFSET %s",
                        [*score_params, *params, request.per_page, request.offset],
                    )
                rows = cursor.fetchall()
        facets = self._facets(groups, scale or 1) if scale else {}
        # Only the shown page's documents are loaded, bodies and all (for snippets).
        documents = SearchDocument.objects.defer("title_tokens", "body_tokens").in_bulk(
            [row[0] for row in rows]
        )
        hits = [Hit(document=documents[pk], score=score) for pk, score in rows if pk in documents]
        return SearchResponse(request=request, total=total, results=hits, facets=facets,
                              backend=self.name, facets_approximate=scale != 1)  # fmt: skip

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
