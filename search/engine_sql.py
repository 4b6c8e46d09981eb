"""DDL for the engine-specific parts of the index, per database vendor.

Kept outside the Django model because neither structure is a plain column:
SQLite gets an FTS5 table over the token columns, kept in sync by triggers
(so ORM deletes, including cascades from deleted pages, update it too);
PostgreSQL gets a generated ``tsvector`` column with a GIN index.
"""

DOC = "search_searchdocument"

SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        title_tokens, body_tokens, content='{DOC}', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER search_fts_ai AFTER INSERT ON {DOC} BEGIN
        INSERT INTO search_fts(rowid, title_tokens, body_tokens)
        VALUES (new.id, new.title_tokens, new.body_tokens); END""",
    f"""CREATE TRIGGER search_fts_ad AFTER DELETE ON {DOC} BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_tokens, body_tokens)
        VALUES ('delete', old.id, old.title_tokens, old.body_tokens); END""",
    f"""CREATE TRIGGER search_fts_au AFTER UPDATE ON {DOC} BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_tokens, body_tokens)
        VALUES ('delete', old.id, old.title_tokens, old.body_tokens);
        INSERT INTO search_fts(rowid, title_tokens, body_tokens)
        VALUES (new.id, new.title_tokens, new.body_tokens); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_CREATE = [
    f"""ALTER TABLE {DOC} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title_tokens, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(body_tokens, '')), 'B')) STORED""",
    f"CREATE INDEX search_document_vector_gin ON {DOC} USING GIN (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_document_vector_gin",
    f"ALTER TABLE {DOC} DROP COLUMN IF EXISTS search_vector",
]


# The facet pass reads six short columns of every (sampled) match by id. Leading with
# the id and covering those columns, this index answers it without touching the
# document rows, whose long text columns spread them over many more pages. PostgreSQL
# reads the matches' heap rows from the GIN bitmap scan either way, so it has none.
SQLITE_FACET_INDEX_CREATE = [
    f"""CREATE INDEX IF NOT EXISTS search_document_facets ON {DOC}
        (id, doc_type, year, district, street, community, tag_list)""",
]
SQLITE_FACET_INDEX_DROP = ["DROP INDEX IF EXISTS search_document_facets"]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_CREATE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP)


def create_facet_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _run(schema_editor, SQLITE_FACET_INDEX_CREATE)


def drop_facet_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _run(schema_editor, SQLITE_FACET_INDEX_DROP)
