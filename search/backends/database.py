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
        with connection.cursor() as cursor:
            # The total and every facet come from one grouped pass over the matches.
            columns = ", ".join(f"d.{c}" for c in FACET_COLUMNS)
            cursor.execute(
                f"SELECT {columns}, count(*) FROM {source} WHERE {where} GROUP BY {columns}",
                params,
            )
            groups = cursor.fetchall()
            total = sum(row[-1] for row in groups)
            rows = []
            if total and request.offset < total:
                if by_relevance and not filters and connection.vendor == "sqlite":
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
        facets = self._facets(groups) if total else {}
        documents = SearchDocument.objects.in_bulk([row[0] for row in rows])
        hits = [Hit(document=documents[pk], score=score) for pk, score in rows if pk in documents]
        return SearchResponse(request=request, total=total, results=hits, facets=facets,
                              backend=self.name)  # fmt: skip

    @staticmethod
    def _facets(groups):
        counters = {name: {} for name in (*FACET_NAMES, "tag")}
        for row in groups:
            n = row[-1]
            for name, value in zip(FACET_NAMES, row[:-2], strict=True):
                if value not in (None, ""):
                    counters[name][value] = counters[name].get(value, 0) + n
            for tag in (row[-2] or "").split("\n"):
                if tag:
                    counters["tag"][tag] = counters["tag"].get(tag, 0) + n
        facets = {}
        for name, counts in counters.items():
            if name == "year":
                ordered = sorted(counts.items(), key=lambda kv: -kv[0])
            else:
                ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
            facets[name] = [{"value": v, "count": c} for v, c in ordered[:FACET_LIMIT]]
        return facets
