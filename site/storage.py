"""Media storage with a private part that no web server serves.

The web server in front serves MEDIA_ROOT as it lies (and ``make run`` serves it through
Django's static view), so any file there is public to whoever knows or guesses its name:
a rendition's name is the original's plus a predictable filter (``x.fill-1200x630.jpg``).
Files of images and documents in a restricted collection (a unit's internal pictures,
述职 attachments) therefore get names under ``private/``, which this storage keeps in
PRIVATE_MEDIA_ROOT, a folder outside MEDIA_ROOT. Such a file's URL is the private media
view (``/private-media/…``, plugins.access.mediafiles), which asks the collection's
privacy before streaming it; every other file keeps its direct, fast MEDIA_URL address.

Everything that reads media goes through the Storage API with the stored name, so
backups, restores, Wagtail's rendition code and document serving need no change: the
``private`` folder appears in ``listdir('')`` like any other. On S3 the same names are
keys under ``private/`` in the (private) bucket, and their URLs are the view as well.
Which names are private is decided where files are named (plugins.access.mediafiles).
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils._os import safe_join

PRIVATE_PREFIX = "private/"
PRIVATE_FOLDER = PRIVATE_PREFIX.rstrip("/")


def is_private_name(name):
    """Whether a stored file name lies in the private part of the storage."""
    return bool(name) and (name == PRIVATE_FOLDER or name.startswith(PRIVATE_PREFIX))


def private_name(name):
    return name if is_private_name(name) else PRIVATE_PREFIX + name


def public_name(name):
    return name[len(PRIVATE_PREFIX) :] if is_private_name(name) else name


def private_url(name):
    """The private media view's address for a private file name."""
    return reverse("private_media", kwargs={"name": public_name(name)})


class MediaStorage(FileSystemStorage):
    """MEDIA_ROOT for public files, PRIVATE_MEDIA_ROOT for names under ``private/``."""

    @property
    def private_location(self):
        # Read at each use: tests and deployments change it like MEDIA_ROOT.
        return Path(settings.PRIVATE_MEDIA_ROOT).resolve()

    def path(self, name):
        if is_private_name(name):
            return safe_join(self.private_location, name[len(PRIVATE_FOLDER) :].lstrip("/"))
        return super().path(name)

    def _save(self, name, content):
        if is_private_name(name):
            # Django's _save names the file relative to ``location`` (MEDIA_ROOT): a
            # storage rooted at the private folder writes it and names it right.
            private = FileSystemStorage(
                location=self.private_location,
                file_permissions_mode=self.file_permissions_mode,
                directory_permissions_mode=self.directory_permissions_mode,
            )
            return private_name(private._save(public_name(name), content))
        return super()._save(name, content)

    def url(self, name):
        if is_private_name(name):
            return private_url(name)
        return super().url(name)

    def listdir(self, path):
        folders, files = super().listdir(path)
        if path in ("", ".") and self.private_location.is_dir() and PRIVATE_FOLDER not in folders:
            folders.append(PRIVATE_FOLDER)
        return folders, files
