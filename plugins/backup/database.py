"""The database side of a backup: dumping it consistently, loading a dump back in.

Kept apart from the archive file (``fileformat``) and its steps (``archive``) because
this is the part that depends on the engine (SQLite, PostgreSQL) and its client programs.

Why these dump methods. Pages, revisions and guardian grants refer to each other by raw
ids that a natural-key dump cannot rewrite: a revision's JSON content carries the page's
``content_type`` id, guardian stores ``object_pk`` as text next to a content type id,
Wagtail's reference index and log entries hold object ids as strings. So the archive
keeps every id exactly as it was:

- ``sqlite``: a consistent copy of the whole database file made with SQLite's online
  backup API (readers and writers may carry on while it runs).
- ``pg_dump``: PostgreSQL's custom format, restored with ``pg_restore --clean``; it also
  carries sequences, full-text columns and anything a migration created in raw SQL.
- ``json``: the fallback when ``pg_dump`` is missing or older than the server: Django's
  ``dumpdata`` of every table *with* primary keys (not natural keys, for the reason
  above), restored into emptied tables of the same schema.
"""

import os
import shutil
import sqlite3
import subprocess

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from .fileformat import BackupError

# --- counts and migrations -------------------------------------------------------


def _concrete_models():
    for model in apps.get_models(include_auto_created=True):
        if not (model._meta.proxy or not model._meta.managed):
            yield model


def model_counts(using="default"):
    """Rows per concrete model (including many-to-many tables), by model label."""
    counts = {
        model._meta.label: model._base_manager.using(using).count() for model in _concrete_models()
    }
    return dict(sorted(counts.items()))


def _sqlite_file_counts(path):
    """The same counts, read from an SQLite copy: exactly what the archive holds."""
    database = sqlite3.connect(path)
    try:
        counts = {
            model._meta.label: database.execute(
                f'SELECT COUNT(*) FROM "{model._meta.db_table}"'
            ).fetchone()[0]
            for model in _concrete_models()
        }
    finally:
        database.close()
    return dict(sorted(counts.items()))


def applied_migrations(using="default"):
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


# --- engine: the dump method, the PostgreSQL client programs ---------------------


def _pg_args(connection):
    """Connection arguments and environment for the PostgreSQL client programs."""
    params = connection.settings_dict
    args = []
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, params["NAME"], env


def _client_major(program):
    """Major version of a PostgreSQL client program, or None when it is not installed."""
    path = shutil.which(program)
    if path is None:
        return None
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    for word in output.split():
        if word[:1].isdigit():
            return int(word.split(".")[0])
    return None


def default_method(connection):
    """The most faithful dump method available for this database."""
    if connection.vendor == "sqlite":
        return "sqlite"
    if connection.vendor == "postgresql":
        client = _client_major("pg_dump")
        server = connection.get_database_version()[0]
        if client is not None and client >= server:
            return "pg_dump"
    return "json"


# --- dump ------------------------------------------------------------------------


def _dump(method, connection, target, snapshot=None):
    if method == "sqlite":
        if connection.vendor != "sqlite":
            raise BackupError(_("sqlite 方式只能备份 SQLite 数据库。"))
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    elif method == "pg_dump":
        if connection.vendor != "postgresql":
            raise BackupError(_("pg_dump 方式只能备份 PostgreSQL 数据库。"))
        args, name, env = _pg_args(connection)
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                   "--file", str(target), *args, name]  # fmt: skip
        if snapshot:
            command[1:1] = ["--snapshot", snapshot]
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise BackupError(_("pg_dump 失败：%(error)s") % {"error": result.stderr.strip()})
    elif method == "json":
        call_command(
            "dumpdata",
            all=True,
            database=connection.alias,
            output=str(target),
            verbosity=0,
        )
    else:
        raise BackupError(_("未知的备份方式：%(method)s") % {"method": method})


def _consistent_dump(method, connection, dump):
    """Dump the database and count its rows from the same state, so that the manifest
    describes exactly what the archive holds even while editors keep writing."""
    if method == "sqlite":
        _dump(method, connection, dump)
        return _sqlite_file_counts(dump)
    if connection.in_atomic_block:
        # Inside a caller's transaction no snapshot can be set up (tests, shells).
        counts = model_counts(connection.alias)
        _dump(method, connection, dump)
        return counts
    with transaction.atomic(using=connection.alias):
        snapshot = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # One snapshot for the counts, dumpdata and (exported) pg_dump alike.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                if method == "pg_dump":
                    cursor.execute("SELECT pg_export_snapshot()")
                    snapshot = cursor.fetchone()[0]
        counts = model_counts(connection.alias)
        _dump(method, connection, dump, snapshot=snapshot)
    return counts


# --- load ------------------------------------------------------------------------


def database_is_empty(using="default"):
    """True for a fresh install: no users, no pages below Wagtail's initial ones, no files."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    checks = [
        (get_user_model(), {}),
        (Page, {"depth__gt": 2}),
        (get_image_model(), {}),
        (get_document_model(), {}),
    ]
    for model, filters in checks:
        if model._meta.db_table not in tables:
            continue
        if model._base_manager.using(using).filter(**filters).exists():
            return False
    return True


def _check_compatible(manifest, connection):
    method = manifest["database"]["method"]
    vendor = manifest["database"]["vendor"]
    if method in {"sqlite", "pg_dump"} and vendor != connection.vendor:
        raise BackupError(
            _("这份备份来自 %(source)s 数据库，不能恢复到 %(target)s 数据库。")
            % {"source": vendor, "target": connection.vendor}
        )
    if method == "pg_dump" and _client_major("pg_restore") is None:
        raise BackupError(_("恢复 PostgreSQL 备份需要 pg_restore，但本机没有安装。"))
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown = sorted(
        f"{app}.{name}" for app, name in manifest["migrations"] if f"{app}.{name}" not in known
    )
    if unknown:
        raise BackupError(
            _("这份备份来自更新的版本（未知的数据库迁移：%(names)s），请先升级程序。")
            % {"names": "、".join(unknown[:5])}
        )
    if method == "json":
        current = applied_migrations(connection.alias)
        if current != manifest["migrations"]:
            raise BackupError(
                _("json 备份只能恢复到数据库结构完全相同的安装：请先运行 migrate，使其与备份一致。")
            )


def _load(method, dump, connection):
    if method == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            # The online backup API replaces the whole destination, schema included.
            source.backup(connection.connection)
        finally:
            source.close()
    elif method == "pg_dump":
        args, name, env = _pg_args(connection)
        # pg_restore must not wait on locks this process still holds.
        connections.close_all()
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                   "--single-transaction", "--exit-on-error", *args, "--dbname", name,
                   str(dump)]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise BackupError(_("pg_restore 失败：%(error)s") % {"error": result.stderr.strip()})
    else:
        with transaction.atomic(using=connection.alias):
            tables = connection.introspection.django_table_names(
                only_existing=True, include_views=False
            )
            flush = connection.ops.sql_flush(
                no_style(), tables, reset_sequences=True, allow_cascade=True
            )
            connection.ops.execute_sql_flush(flush)
            # SQLite's full-text table is filled by triggers as the index entries load,
            # so it must not keep rows from before.
            fts = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table + "_fts"
            if fts in connection.introspection.table_names():
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(fts)}")
            call_command("loaddata", str(dump), database=connection.alias, verbosity=0)
