"""Write and read backup archives: a database dump, the media folder and a manifest.

The entry point of the ``backup`` and ``restore`` commands: the steps of a backup and
of a restore, the manifest and the media files. The archive's layout and its checks
are in ``fileformat``; dumping and loading the database, and why these dump methods,
in ``database``.
"""

import contextlib
import io
import json
import platform
import shutil
import tarfile
import tempfile
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from .database import (
    _check_compatible,
    _consistent_dump,
    _load,
    applied_migrations,
    database_is_empty,
    default_method,
    model_counts,
)
from .fileformat import (
    DATABASE_DIR,
    DUMP_FILES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_DIR,
    BackupError,
    _archive_kind,
    extract_archive,
    sha256_of,
    verify,
)

# --- helpers ---------------------------------------------------------------------


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


# --- backup ----------------------------------------------------------------------


def default_output():
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BACKUP_DIR) / f"gongjian-{stamp}.tar.gz"


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
