"""Write and read backup archives: a database dump, the media folder and a manifest.

Archive layout (``.tar.gz`` or ``.zip``)::

    manifest.json          format, created_at, versions, migrations, counts, sha256 of every file
    database/<dump>        see DUMP_METHODS
    media/<path>           every file in the media storage (MEDIA_ROOT, or the S3 bucket)

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

import contextlib
import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zipfile
import zlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "gongjian-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
MEDIA_DIR = "media"
DUMP_FILES = {"sqlite": "database.sqlite3", "pg_dump": "database.pgdump", "json": "data.json"}


class BackupError(CommandError):
    """A backup or restore that cannot go ahead; the message says why, in Chinese."""


# --- helpers ---------------------------------------------------------------------


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


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


def _versions(connection):
    def package(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    connection.ensure_connection()
    return {
        "python": platform.python_version(),
        "django": package("django"),
        "wagtail": package("wagtail"),
        "gongjian": package("gongjian"),
        "database": f"{connection.vendor} {connection.Database.__name__} "
        + ".".join(str(part) for part in connection.get_database_version()),
    }


def _storage_names(storage, folder=""):
    """Every file name in ``storage``, walked through the Storage API so a bucket and a
    folder are read the same way."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []  # a fresh install's MEDIA_ROOT does not exist yet
    prefix = f"{folder}/" if folder else ""
    names = [prefix + name for name in files]
    for sub in folders:
        names.extend(_storage_names(storage, prefix + sub))
    return sorted(names)


def _media_entries(work):
    """The media files as {archive name: local path}. Files of a local storage are read
    where they lie (not symlinks); remote ones (S3) are downloaded into ``work`` first."""
    storage = default_storage
    entries = {}
    for name in _storage_names(storage):
        try:
            local = Path(storage.path(name))
        except NotImplementedError:
            local = Path(work) / MEDIA_DIR / name
            local.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, local.open("wb") as target:
                shutil.copyfileobj(source, target)
        else:
            if local.is_symlink() or not local.is_file():
                continue
        entries[f"{MEDIA_DIR}/{name}"] = local
    return entries


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


# --- backup ----------------------------------------------------------------------


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


def default_output():
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BACKUP_DIR) / f"gongjian-{stamp}.tar.gz"


def _archive_kind(path):
    name = str(path).lower()
    if name.endswith(".zip"):
        return "zip"
    if name.endswith((".tar.gz", ".tgz")):
        return "tar"
    raise BackupError(_("备份文件名须以 .tar.gz、.tgz 或 .zip 结尾：%(path)s") % {"path": path})


def create_backup(output=None, method=None, using="default"):
    """Write one archive and return (its path, its manifest)."""
    connection = connections[using]
    output = Path(output) if output else default_output()
    kind = _archive_kind(output)
    method = method or default_method(connection)
    output.parent.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="gongjian-backup-") as work:
        dump = Path(work) / DUMP_FILES[method]
        counts = _consistent_dump(method, connection, dump)

        entries = {f"{DATABASE_DIR}/{dump.name}": dump}
        entries.update(_media_entries(work))

        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database": {
                "vendor": connection.vendor,
                "method": method,
                "file": f"{DATABASE_DIR}/{dump.name}",
            },  # fmt: skip
            "versions": _versions(connection),
            "migrations": applied_migrations(using),
            "counts": counts,
            "files": {name: sha256_of(path) for name, path in entries.items()},
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode()

        # Written next to the target and renamed, so a failed run never leaves half an archive.
        partial = output.with_name(output.name + ".partial")
        if kind == "zip":
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(MANIFEST, manifest_bytes)
                for name, path in entries.items():
                    archive.write(path, name)
        else:
            with tarfile.open(partial, "w:gz") as archive:
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(manifest_bytes)
                info.mtime = int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(manifest_bytes))
                for name, path in entries.items():
                    archive.add(path, name, recursive=False)
        partial.replace(output)
    return output, manifest


# --- restore ---------------------------------------------------------------------


def _safe_name(name):
    """The member name if it stays inside the archive's folders, else None."""
    if not name or "\\" in name or name.startswith("/"):
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or ":" in path.parts[0]:
        return None
    return path.as_posix()


def _corrupt(reason):
    return BackupError(_("备份文件损坏或不可信，未做任何更改：%(reason)s") % {"reason": reason})


def extract_archive(path, into):
    """Extract the regular files of ``path`` into ``into`` after checking every name."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("找不到备份文件：%(path)s") % {"path": path})
    kind = _archive_kind(path)
    into = Path(into)
    try:
        if kind == "zip":
            with zipfile.ZipFile(path) as archive:
                for member in archive.infolist():
                    if member.is_dir():
                        continue
                    name = _safe_name(member.filename)
                    if name is None:
                        raise _corrupt(_("不安全的文件名 %(name)s") % {"name": member.filename})
                    target = into / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(member) as source, open(target, "wb") as sink:
                        shutil.copyfileobj(source, sink)
        else:
            with tarfile.open(path, "r:gz") as archive:
                for member in archive:
                    if member.isdir():
                        continue
                    name = _safe_name(member.name)
                    if name is None or not member.isfile():
                        raise _corrupt(_("不安全的文件 %(name)s") % {"name": member.name})
                    target = into / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.extractfile(member) as source, open(target, "wb") as sink:
                        shutil.copyfileobj(source, sink)
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise _corrupt(str(exc) or exc.__class__.__name__) from exc


def verify(folder):
    """Read the manifest in ``folder`` and check every file against it; return the manifest."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise _corrupt(_("缺少 manifest.json")) from exc
    except ValueError as exc:
        raise _corrupt(_("manifest.json 无法解析")) from exc
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise _corrupt(_("不是本系统的备份格式"))
    files = manifest.get("files") or {}
    present = {
        path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()
    } - {MANIFEST}
    missing = sorted(set(files) - present)
    extra = sorted(present - set(files))
    if missing:
        raise _corrupt(_("缺少文件 %(names)s") % {"names": "、".join(missing[:5])})
    if extra:
        raise _corrupt(_("清单之外的文件 %(names)s") % {"names": "、".join(extra[:5])})
    for name, expected in files.items():
        if sha256_of(folder / name) != expected:
            raise _corrupt(_("文件 %(name)s 的校验和不符") % {"name": name})
    if manifest.get("database", {}).get("file") not in files:
        raise _corrupt(_("缺少数据库转储"))
    return manifest


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


def _restore_media(folder):
    source = Path(folder) / MEDIA_DIR
    if not source.is_dir():
        return 0
    storage = default_storage
    count = 0
    for path in sorted(source.rglob("*")):
        if path.is_file():
            name = path.relative_to(source).as_posix()
            # Storages never overwrite on save (they pick a new name), so make room first:
            # the restored rows point at exactly this name.
            if storage.exists(name):
                storage.delete(name)
            with path.open("rb") as content:
                saved = storage.save(name, File(content))
            if saved != name:
                message = _("媒体文件 %(name)s 被存为 %(saved)s")
                raise BackupError(message % {"name": name, "saved": saved})
            count += 1
    return count


def restore_backup(path, yes=False, using="default", stdout=None):
    """Verify ``path`` completely, then replace the database and restore the media files.

    Returns the manifest. Raises BackupError before changing anything when the archive
    is damaged, comes from another engine or a newer version, or when the database holds
    data and ``yes`` is false.
    """
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="gongjian-restore-") as work:
        extract_archive(path, work)
        manifest = verify(work)
        _check_compatible(manifest, connection)
        if not yes and not database_is_empty(using):
            raise BackupError(
                _("目标数据库中已有数据；恢复将覆盖全部内容。确认覆盖请加 --yes 重新运行。")
            )
        method = manifest["database"]["method"]
        _load(method, Path(work) / manifest["database"]["file"], connection)
        files = _restore_media(work)

    ContentType.objects.clear_cache()
    # A cache that cannot be cleared (Redis down) must not undo a finished restore.
    with contextlib.suppress(Exception):
        cache.clear()
    # An archive from an older version: bring its schema up to this code.
    call_command("migrate", database=using, interactive=False, verbosity=0)
    # ... and its plugin profiles up to this code's versions (pending upgrade steps).
    if using == "default":
        call_command("setup_site", stdout=io.StringIO())
    if stdout is not None:
        stdout.write(_("已恢复数据库（%(method)s）和 %(files)s 个媒体文件。")
                     % {"method": method, "files": files})  # fmt: skip
    return manifest


def count_differences(manifest, using="default"):
    """[(model label, count in the archive, count now)] for every model that differs."""
    now = model_counts(using)
    then = manifest["counts"]
    return [
        (label, then.get(label), now.get(label))
        for label in sorted(set(then) | set(now))
        if then.get(label) != now.get(label)
    ]


__all__ = [
    "BackupError",
    "count_differences",
    "create_backup",
    "model_counts",
    "restore_backup",
    "sha256_of",
    "verify",
]
