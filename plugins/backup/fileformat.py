"""What a backup archive is, and how to tell a sound one from a damaged or hostile one.

Archive layout (``.tar.gz`` or ``.zip``)::

    manifest.json          format, created_at, versions, migrations, counts, sha256 of every file
    database/<dump>        see DUMP_FILES; the dump methods are explained in ``database``
    media/<path>           every file in the media storage (MEDIA_ROOT, or the S3 bucket)

Kept apart from the writing and restoring steps (``archive``) and the database dump
(``database``) because nothing here trusts the archive: every member name is checked
before it is extracted, and every file against the manifest's checksum, before a
restore changes anything. BackupError lives here too, as every step raises it.
"""

import hashlib
import json
import shutil
import tarfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from django.core.management.base import CommandError
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


def _archive_kind(path):
    name = str(path).lower()
    if name.endswith(".zip"):
        return "zip"
    if name.endswith((".tar.gz", ".tgz")):
        return "tar"
    raise BackupError(_("备份文件名须以 .tar.gz、.tgz 或 .zip 结尾：%(path)s") % {"path": path})


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
