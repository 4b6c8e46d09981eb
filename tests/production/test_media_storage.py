"""Media on S3-compatible storage (django-storages), against moto's in-process S3.

Several application servers share uploads through the bucket; backups read and restore
the media through the same Storage API, so a bucket is backed up like a folder.
"""

import hashlib
import os
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from moto import mock_aws

from plugins.backup.archive import MEDIA_DIR, _media_entries, _restore_media

BUCKET = "gongjian-media"


@pytest.fixture
def s3(settings):
    with mock_aws():
        import boto3

        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "access_key": "test",
                    "secret_key": "test",
                    "default_acl": None,
                    "file_overwrite": False,
                },  # fmt: skip
            },
        }
        yield boto3.client("s3", region_name="us-east-1")


def test_settings_put_media_on_s3_when_a_bucket_is_named():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongjian_site.settings.dev",
           "S3_BUCKET": "city-media", "S3_ENDPOINT_URL": "http://minio.local:9000"}  # fmt: skip
    code = (
        "import django; django.setup();"
        "from django.core.files.storage import default_storage as s;"
        "print(s.bucket_name, s.endpoint_url, s.file_overwrite, s.default_acl,"
        " type(s._wrapped).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["city-media", "http://minio.local:9000", "False", "None",
                                  "S3MediaStorage"]  # fmt: skip


def test_private_keys_in_a_bucket_are_served_by_the_private_media_view(s3, settings):
    """The bucket is private; a private image's key gets no signed or public URL, only
    the view that checks its collection (gongjian_site.storage)."""
    from gongjian_site.storage_s3 import S3MediaStorage

    storage = S3MediaStorage(**settings.STORAGES["default"]["OPTIONS"])
    assert storage.save("private/images/unit.fill-20x20.png", ContentFile(b"png")) == (
        "private/images/unit.fill-20x20.png"
    )
    assert storage.url("private/images/unit.fill-20x20.png") == (
        "/private-media/images/unit.fill-20x20.png"
    )
    assert storage.url("images/public.png").startswith("https://")


def test_media_in_a_bucket_is_backed_up_and_restored(s3, tmp_path):
    files = {"images/活动.png": b"\x89PNG fake image", "documents/纪要.docx": b"PK docx bytes"}
    for name, content in files.items():
        assert default_storage.save(name, ContentFile(content)) == name

    entries = _media_entries(tmp_path / "work")
    assert sorted(entries) == sorted(f"{MEDIA_DIR}/{name}" for name in files)
    for name, content in files.items():
        local = entries[f"{MEDIA_DIR}/{name}"]
        assert hashlib.sha256(local.read_bytes()).digest() == hashlib.sha256(content).digest()

    # The bucket loses one file and another is changed; restoring puts both back as they were.
    default_storage.delete("images/活动.png")
    default_storage.delete("documents/纪要.docx")
    default_storage.save("documents/纪要.docx", ContentFile(b"changed"))
    assert _restore_media(tmp_path / "work") == len(files)
    for name, content in files.items():
        with default_storage.open(name, "rb") as stored:
            assert stored.read() == content
    listed = s3.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert sorted(o["Key"] for o in listed) == sorted(files)
