"""DDL for the engine-specific parts of the index, per database vendor.

Kept outside the Django model because neither structure is a plain column:
SQLite gets an FTS5 table over the token columns, kept in sync by triggers
(so ORM deletes, including cascades from deleted pages, update it too);
PostgreSQL gets a generated ``tsvector`` column with a GIN index.
"""

DOC = "search_searchdocument"

# The indexed columns, in the order the ranking functions weigh them. Migration 0002
# created the first layout; 0004 replaced it with one column per weighted field.
COLUMNS_V1 = ("title_tokens", "body_tokens")
COLUMNS = ("title_tokens", "tag_tokens", "org_tokens", "body_tokens")
# PostgreSQL has four weight classes, one per field: A title, B tags and kind,
# C organisations and year, D body (ranked with the weights in backends/database.py).
POSTGRES_CLASSES = dict(zip(COLUMNS, "ABCD", strict=True))


def sqlite_create(columns=COLUMNS):
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"""CREATE VIRTUAL TABLE search_fts USING fts5(
            {names}, content='{DOC}', content_rowid='id',
            tokenize='unicode61 remove_diacritics 0')""",
        f"""CREATE TRIGGER search_fts_ai AFTER INSERT ON {DOC} BEGIN
            INSERT INTO search_fts(rowid, {names}) VALUES (new.id, {new}); END""",
        f"""CREATE TRIGGER search_fts_ad AFTER DELETE ON {DOC} BEGIN
            INSERT INTO search_fts(search_fts, rowid, {names})
            VALUES ('delete', old.id, {old}); END""",
        f"""CREATE TRIGGER search_fts_au AFTER UPDATE ON {DOC} BEGIN
            INSERT INTO search_fts(search_fts, rowid, {names})
            VALUES ('delete', old.id, {old});
            INSERT INTO search_fts(rowid, {names}) VALUES (new.id, {new}); END""",
    ]


# The indexed terms with their document counts, for did-you-mean (search/suggest.py).
SQLITE_VOCABULARY = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_vocab USING fts5vocab(search_fts, 'row')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_vocab_col USING fts5vocab(search_fts, 'col')",
]

SQLITE_DROP = [
    "DROP TABLE IF EXISTS search_fts_vocab",
    "DROP TABLE IF EXISTS search_fts_vocab_col",
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]


def postgres_create(classes):
    vector = " ||\n        ".join(
        f"setweight(to_tsvector('simple', coalesce({column}, '')), '{weight}')"
        for column, weight in classes.items()
    )
    return [
        f"""ALTER TABLE {DOC} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        {vector}) STORED""",
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


def _create(schema_editor, columns, classes):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, sqlite_create(columns))
        if columns == COLUMNS:
            _run(schema_editor, SQLITE_VOCABULARY)
        # Fill the new table from the rows already there (a no-op on an empty index).
        _run(schema_editor, ["INSERT INTO search_fts(search_fts) VALUES ('rebuild')"])
    elif vendor == "postgresql":
        _run(schema_editor, postgres_create(classes))


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP)


def create_v1(apps, schema_editor):
    """The first layout (title and body), as migration 0002 made it."""
    _create(schema_editor, COLUMNS_V1, {"title_tokens": "A", "body_tokens": "B"})


def create(apps, schema_editor):
    """One column per weighted field (migration 0004)."""
    _create(schema_editor, COLUMNS, POSTGRES_CLASSES)


def create_vocabulary(apps, schema_editor):
    """The vocabulary tables (migration 0005, for databases that took 0004 before the
    per-field one existed; a no-op where 0004 made both)."""
    if schema_editor.connection.vendor == "sqlite":
        _run(schema_editor, SQLITE_VOCABULARY)


def create_facet_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _run(schema_editor, SQLITE_FACET_INDEX_CREATE)


def drop_facet_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _run(schema_editor, SQLITE_FACET_INDEX_DROP)
