"""Writing new documents to the index table: a few long INSERT statements.

``bulk_create`` spent half of indexing's storing time in Django turning every field of
every row into SQL one by one (and on SQLite it sends 47 rows a statement, its
parameter limit for old SQLite builds). The documents' values are already what the
columns hold (strings, numbers, a date), so they go in as they are, many hundred rows a
statement, on SQLite and PostgreSQL alike. The FTS5 triggers (SQLite) and the generated
``tsvector`` column (PostgreSQL) index them as before.
"""

from django.db import connection, models, transaction

from .models import SearchDocument

# Parameters per statement: under SQLite's default limit since 3.32 (32,766) and
# PostgreSQL's (65,535).
MAX_PARAMETERS = 30_000


def _fields():
    return [f for f in SearchDocument._meta.concrete_fields if not f.primary_key]


def _value(field, document):
    value = getattr(document, field.attname)
    if isinstance(field, models.DateField) and value is not None:
        return connection.ops.adapt_datefield_value(value)
    return value


def store(documents):
    """Insert unsaved ``documents``, setting their primary keys as ``bulk_create`` does.

    RETURNING gives the keys in the order of the VALUES rows on both databases (Django's
    own ``bulk_create`` relies on the same)."""
    documents = list(documents)
    if not documents:
        return documents
    fields = _fields()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, MAX_PARAMETERS // len(fields))
    pk = quote(SearchDocument._meta.pk.column)
    table = quote(SearchDocument._meta.db_table)
    # All statements or none; inside the caller's transaction (as when indexing a
    # publish) no savepoint of its own: a failure fails the caller's block anyway.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(documents), per_statement):
            batch = documents[start : start + per_statement]
            params = [_value(f, d) for d in batch for f in fields]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(batch))} "
                f"RETURNING {pk}",
                params,
            )
            for document, (key,) in zip(batch, cursor.fetchall(), strict=True):
                document.pk = key
                document._state.adding = False
                document._state.db = connection.alias
    return documents
