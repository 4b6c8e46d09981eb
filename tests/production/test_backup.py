"""Backups: the round trip on the database the suite runs on (SQLite or PostgreSQL).

The data must be committed for the dump programs to see it, hence transactional_db. Each
test starts from the empty database the migrations leave (tests/baselines.py puts it back
after the flush that ends a transactional test) and loads the demo itself, with its files
in this test's own MEDIA_ROOT, so the archive holds every file the rows name.
"""

import io
import json
import tarfile
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from gongjian_site.models import PluginProfile
from plugins.backup.archive import model_counts, sha256_of
from plugins.orgs.models import CommunityPage


def png_bytes(colour="red"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 6), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def site_with_content(transactional_db, media):
    """The demo city plus an uploaded image, a new revision and a guardian grant."""
    call_command("load_demo", stdout=io.StringIO())
    image = get_image_model().objects.create(
        title="社区活动照片", file=ImageFile(io.BytesIO(png_bytes()), name="活动.png")
    )
    community = CommunityPage.objects.get(slug="jinxiu")  # no appointments protect it
    community.address = "锦绣路 5 号（已核实）"
    community.cover_image = image
    community.save_revision().publish()
    user = get_user_model().objects.get(username="member_a")
    # Grants are made on the base page, which is what Wagtail's permission checks look up.
    assign_perm("wagtailcore.change_page", user, Page.objects.get(pk=community.pk))
    return {"image": image, "community": community, "user": user}


def backup(path, *args):
    out = io.StringIO()
    call_command("backup", "--output", str(path), *args, stdout=out)
    return out.getvalue()


def restore(path, *args):
    out = io.StringIO()
    call_command("restore", str(path), *args, stdout=out)
    return out.getvalue()


def read_manifest(path):
    with tarfile.open(path, "r:gz") as archive:
        return json.load(archive.extractfile("manifest.json"))


def damage_the_site(content):
    """What a bad day looks like: pages, a user and an uploaded file gone."""
    content["community"].delete()
    get_user_model().objects.filter(username="publicity").delete()
    path = content["image"].file.path
    content["image"].file.storage.delete(content["image"].file.name)
    return path


def test_round_trip_brings_back_pages_revisions_users_grants_and_files(site_with_content, tmp_path):
    before = model_counts()
    image_path = site_with_content["image"].file.path
    image_sha = sha256_of(image_path)
    revision_content = (
        Revision.objects.filter(object_id=str(site_with_content["community"].pk))
        .latest("created_at")
        .content
    )
    archive = tmp_path / "site.tar.gz"
    # A backup of a site at an older profile version of the orgs plugin ...
    PluginProfile.objects.filter(label="orgs").update(version=1)

    output = backup(archive)
    assert "备份完成" in output

    manifest = read_manifest(archive)
    assert manifest["counts"] == before
    assert manifest["counts"]["wagtailcore.Page"] == Page.objects.count()
    assert manifest["database"]["vendor"] == connection.vendor
    media_name = "media/" + site_with_content["image"].file.name
    assert manifest["files"][media_name] == image_sha
    assert set(manifest["versions"]) >= {"python", "django", "wagtail", "gongjian", "database"}

    damage_the_site(site_with_content)
    assert model_counts() != before

    with pytest.raises(CommandError, match="--yes"):
        restore(archive)

    restore(archive, "--yes")
    assert model_counts() == before
    # ... is brought up to this code's versions by the restore (its upgrade steps run).
    assert PluginProfile.objects.get(label="orgs").version == 2
    assert sha256_of(image_path) == image_sha
    community = CommunityPage.objects.get(pk=site_with_content["community"].pk)
    assert community.address == "锦绣路 5 号（已核实）"
    assert community.cover_image_id == site_with_content["image"].pk
    assert (
        Revision.objects.filter(object_id=str(community.pk)).latest("created_at").content
        == revision_content
    )
    user = get_user_model().objects.get(username="member_a")
    assert UserObjectPermission.objects.filter(user=user, object_pk=str(community.pk)).exists()
    assert user.has_perm("wagtailcore.change_page", Page.objects.get(pk=community.pk))
    assert get_user_model().objects.filter(username="publicity").exists()
    assert user.check_password("gongjian-demo")


def test_zip_and_json_round_trip(site_with_content, tmp_path):
    """The engine-neutral fallback (dumpdata with primary keys) in a zip archive."""
    before = model_counts()
    archive = tmp_path / "site.zip"
    backup(archive, "--method", "json")
    with zipfile.ZipFile(archive) as opened:
        assert "database/data.json" in opened.namelist()
    damage_the_site(site_with_content)

    restore(archive, "--yes")
    assert model_counts() == before
    assert CommunityPage.objects.filter(pk=site_with_content["community"].pk).exists()


def rewrite_tar(source, target, change):
    """Copy a tar.gz archive, letting ``change(name, data)`` alter each member's bytes."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            data, name = change(member.name, data)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


def test_a_corrupt_archive_is_refused_before_anything_changes(site_with_content, tmp_path):
    archive = tmp_path / "good.tar.gz"
    backup(archive)
    media_name = "media/" + site_with_content["image"].file.name

    def flip_a_byte(name, data):
        if name == media_name:
            data = data[:-1] + bytes([data[-1] ^ 1])
        return data, name

    bad = tmp_path / "bad.tar.gz"
    rewrite_tar(archive, bad, flip_a_byte)
    site_with_content["community"].delete()
    before = model_counts()

    with pytest.raises(CommandError, match="校验和不符"):
        restore(bad, "--yes")
    assert model_counts() == before

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:2000])
    with pytest.raises(CommandError, match="备份文件损坏"):
        restore(truncated, "--yes")
    assert model_counts() == before


def test_path_traversal_inside_an_archive_is_refused(site_with_content, tmp_path):
    archive = tmp_path / "good.tar.gz"
    backup(archive)

    def escape(name, data):
        return data, ("../../evil.txt" if name.startswith("media/") else name)

    bad = tmp_path / "evil.tar.gz"
    rewrite_tar(archive, bad, escape)
    with pytest.raises(CommandError, match="不安全"):
        restore(bad, "--yes")
    assert not (tmp_path.parent / "evil.txt").exists()


def test_a_missing_archive_gets_a_clear_message(db, tmp_path):
    with pytest.raises(CommandError, match="找不到备份文件"):
        restore(tmp_path / "nothing.tar.gz")
    with pytest.raises(CommandError, match=r"\.tar\.gz"):
        backup(tmp_path / "site.rar")
