"""Image files of private collections are not served from storage (issue 15; Wagtail
issue 3880): originals and renditions of a unit's collection lie outside MEDIA_ROOT and
are served by ``/private-media/…`` after the same check as documents; public images keep
their direct MEDIA_URL addresses; files move when their collection's privacy changes."""

import importlib
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.views.static import serve as static_serve
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from gongjian_site.storage import is_private_name, public_name
from plugins.access.mediafiles import sync_media_files
from plugins.orgs.models import ResidentUnitPage
from plugins.orgs.setup import PUBLIC_COLLECTION
from tests.conftest import login

Image = get_image_model()
Document = get_document_model()


def png_bytes(colour="red", size=(40, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def roots(settings, tmp_path):
    """MEDIA_ROOT (what the web server serves) and the private folder beside it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def media(demo, roots):
    # Wagtail caches renditions by image id and file hash, which the rolled-back
    # databases of earlier tests repeat, with files in their own (gone) folders.
    cache.clear()
    unit = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    public = Collection.objects.get(name=PUBLIC_COLLECTION)
    # Uploaded through the real admin form by the unit's member, as a 述职 picture is.
    client = Client()
    login(client, "member_a")
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "述职附图",
            "file": SimpleUploadedFile("shuzhi.png", png_bytes(), content_type="image/png"),
            "collection": unit.unit_collection.collection.pk,
            "tags": "",
        },
    )
    assert response.status_code == 302
    private = Image.objects.get(title="述职附图")
    public_image = Image.objects.create(
        title="公共图片", file=ContentFile(png_bytes("blue"), name="gongkai.png"), collection=public
    )
    return {"unit": unit, "private": private, "public": public_image, "public_collection": public}


def files_under(folder):
    return sorted(p for p in Path(folder).rglob("*") if p.is_file())


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_private_originals_and_renditions_lie_outside_media_root(media, roots):
    media_root, private_root = roots
    image = media["private"]
    rendition = image.get_rendition("fill-20x20")
    assert image.file.name.startswith("private/original_images/")
    assert rendition.file.name.startswith("private/images/")
    assert image.file.url.startswith("/private-media/")
    assert rendition.url.startswith("/private-media/")
    # Not a byte of it under MEDIA_ROOT, which the web server (and `make run`) serves.
    published = {p.read_bytes() for p in files_under(media_root)}
    assert image.file.open("rb").read() not in published
    assert Path(default_storage.path(image.file.name)).is_relative_to(private_root)
    assert Path(default_storage.path(rendition.file.name)).is_relative_to(private_root)
    # The public image keeps its direct, fast address.
    public = media["public"].get_rendition("fill-20x20")
    assert public.url.startswith("/media/images/")
    assert media["public"].file.url.startswith("/media/original_images/")


def test_the_development_server_does_not_serve_them(media, roots):
    """``make run`` serves MEDIA_URL with Django's static view from MEDIA_ROOT."""
    media_root, _private_root = roots
    image = media["private"]
    rendition = image.get_rendition("fill-20x20")
    request = RequestFactory().get("/media/x")
    for name in (image.file.name, rendition.file.name):
        for guess in (name, public_name(name), "../private/" + public_name(name)):
            # 404, or 400 for a path that climbs out of MEDIA_ROOT.
            with pytest.raises((Http404, SuspiciousFileOperation)):
                static_serve(request, guess, document_root=media_root)
    public = media["public"].get_rendition("fill-20x20")
    assert static_serve(request, public.file.name, document_root=media_root).status_code == 200


def test_wagtails_dynamic_image_view_is_not_routed():
    """It serves any image by id without a privacy check; enabling it needs one."""
    with pytest.raises(NoReverseMatch):
        reverse("wagtailimages_serve", args=["sig", 1, "original"])


@pytest.mark.parametrize("which", ["original", "rendition"])
def test_private_image_files_are_served_to_their_unit_only(media, which, client):
    image = media["private"]
    url = image.file.url if which == "original" else image.get_rendition("fill-20x20").url
    expected = default_storage.open(public_name(url).replace("/private-media/", "private/")).read()
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    login(client, "member_b")  # another unit's member
    assert client.get(url).status_code == 403
    for username in ("member_a", "secretary_a", "admin"):
        login(client, username)
        response = client.get(url)
        assert response.status_code == 200, username
        assert body(response) == expected
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "private, max-age=600"


def test_public_images_and_unknown_names(media, client):
    public = media["public"]
    # A public image's file is never a private name; the view answers 404 for what it
    # does not hold (also for document files, served by /documents/ with its own check).
    assert not is_private_name(public.file.name)
    for name in ("original_images/gongkai.png", "images/none.png", "documents/x.pdf", "%00"):
        assert client.get("/private-media/" + name).status_code == 404


def test_a_private_image_on_a_live_public_page_is_served_to_everyone(media, client):
    unit, image = media["unit"], media["private"]
    unit.cover_image = image
    unit.save_revision().publish()
    url = image.get_rendition("fill-20x20").url
    assert url.startswith("/private-media/")
    assert client.get(url).status_code == 200
    assert client.get(unit.url).status_code == 200
    unit.unpublish()
    assert client.get(url).status_code == 302


def test_the_serving_path_costs_few_queries(media, django_assert_max_num_queries):
    """Bounded whatever the number of images, renditions or pages: the file's row, its
    collection's restrictions, the media policy's permissions (the session and user
    when logged in) and, for others, the reference index."""
    unit, image = media["unit"], media["private"]
    url = image.get_rendition("fill-20x20").url
    counts = {}
    for who, budget in (("member_a", 14), ("member_b", 18), (None, 5)):
        client = Client()
        if who:
            login(client, who)
        client.get(url)  # warm per-process caches (content types, permissions)
        with django_assert_max_num_queries(budget) as captured:
            assert client.get(url).status_code in (200, 302, 403)
        counts[who or "anonymous"] = len(captured)
    unit.cover_image = image
    unit.save_revision().publish()
    with django_assert_max_num_queries(5) as captured:
        assert Client().get(url).status_code == 200
    counts["anonymous, on a public page"] = len(captured)
    started = time.perf_counter()
    for _ in range(20):
        Client().get(url)
    per_request = (time.perf_counter() - started) / 20 * 1000
    print(f"\nqueries to serve a private rendition: {counts}; {per_request:.1f} ms each")


# --- moving ---------------------------------------------------------------------------


def edit_collection(client, image, collection):
    url = reverse("wagtailimages:edit", args=[image.pk])
    return client.post(
        url, {"title": image.title, "collection": collection.pk, "tags": "", "description": ""}
    )


def test_moving_an_image_out_of_and_back_into_a_private_collection_moves_its_files(
    media, roots, django_capture_on_commit_callbacks
):
    media_root, private_root = roots
    image = media["private"]
    old_original = image.file.name
    old_rendition = image.get_rendition("fill-20x20").file.name
    client = Client()
    login(client, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        assert edit_collection(client, image, media["public_collection"]).status_code == 302
    image.refresh_from_db()
    rendition = image.get_rendition("fill-20x20")
    assert image.file.name == public_name(old_original)
    assert rendition.file.name == public_name(old_rendition)
    assert rendition.url.startswith("/media/images/")
    assert not default_storage.exists(old_original) and not default_storage.exists(old_rendition)
    assert Path(default_storage.path(image.file.name)).is_relative_to(media_root)
    assert Client().get(rendition.url.replace("/media/", "/private-media/")).status_code == 404

    # And back: the files leave MEDIA_ROOT again.
    with django_capture_on_commit_callbacks(execute=True):
        edit_collection(client, image, media["unit"].unit_collection.collection)
    image.refresh_from_db()
    rendition = image.get_rendition("fill-20x20")
    assert is_private_name(image.file.name) and is_private_name(rendition.file.name)
    assert files_under(media_root) == [p for p in files_under(media_root) if "shuzhi" not in p.name]
    assert Path(default_storage.path(rendition.file.name)).is_relative_to(private_root)
    assert Client().get(rendition.url).status_code == 302


def test_the_bulk_add_to_collection_action_moves_files(media, django_capture_on_commit_callbacks):
    public = media["public"]
    target = media["unit"].unit_collection.collection
    client = Client()
    login(client, "admin")
    url = reverse("wagtail_bulk_action", args=["wagtailimages", "image", "add_to_collection"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url}?id={public.pk}", {"collection": target.pk})
    assert response.status_code == 302
    public.refresh_from_db()
    assert public.collection == target
    assert is_private_name(public.file.name)
    assert Client().get(public.file.url).status_code == 302


def test_a_collection_made_private_takes_its_files_along(media, django_capture_on_commit_callbacks):
    public, collection = media["public"], media["public_collection"]
    document = Document.objects.create(
        title="公开文件", file=ContentFile(b"%PDF open", name="open.pdf"), collection=collection
    )
    rendition = public.get_rendition("fill-20x20")
    with django_capture_on_commit_callbacks(execute=True):
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    for obj in (public, document, rendition):
        obj.refresh_from_db()
        assert is_private_name(obj.file.name), obj
    assert Client().get(public.get_rendition("fill-20x20").url).status_code == 302
    assert Client().get(document.url).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    for obj in (public, document, rendition):
        obj.refresh_from_db()
        assert not is_private_name(obj.file.name), obj
    assert Client().get(document.url).status_code == 200


def test_private_documents_lie_outside_media_root_and_are_still_served(media, roots, client):
    media_root, private_root = roots
    document = Document.objects.create(
        title="述职报告附件",
        file=ContentFile(b"%PDF internal", name="shuzhi.pdf"),
        collection=media["unit"].unit_collection.collection,
    )
    assert document.file.name.startswith("private/documents/")
    assert Path(default_storage.path(document.file.name)).is_relative_to(private_root)
    assert not any(p.name == "shuzhi.pdf" for p in files_under(media_root))
    login(client, "member_a")
    response = client.get(document.url)
    assert response.status_code == 200 and body(response) == b"%PDF internal"
    login(client, "member_b")
    assert client.get(document.url).status_code == 403


def test_existing_files_are_moved_by_the_upgrade_step_and_setup(media, roots):
    """A site from before this change has its private files under MEDIA_ROOT."""
    image = media["private"]
    rendition = image.get_rendition("fill-20x20")
    for obj in (image, rendition):
        old = obj.file.name
        with default_storage.open(old, "rb") as content:
            default_storage.save(public_name(old), content)
        default_storage.delete(old)
        type(obj).objects.filter(pk=obj.pk).update(file=public_name(old))
    step = importlib.import_module("plugins.access.migrations.0005_private_media_files")
    step.move_files(apps, None)
    for obj in (image, rendition):
        obj.refresh_from_db()
        assert is_private_name(obj.file.name)
        assert default_storage.exists(obj.file.name)
    assert sync_media_files() == 0  # setup_site's pass finds nothing left to do


def test_backups_see_the_private_files(media):
    from plugins.backup.archive import _storage_names

    names = _storage_names(default_storage)
    assert media["private"].file.name in names
    assert media["public"].file.name in names


def test_a_password_protected_collection_asks_for_its_password(media, client):
    """An administrator's password restriction: Wagtail's form, then the file."""
    collection = Collection.get_first_root_node().add_child(name="内部照片（密码）")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="richtig-2024",
    )
    image = Image.objects.create(
        title="内部照片",
        file=ContentFile(png_bytes("green"), name="neibu.png"),
        collection=collection,
    )
    assert is_private_name(image.file.name)
    url = image.get_rendition("fill-20x20").url
    form = client.get(url)
    assert form.status_code == 200 and form["Content-Type"].startswith("text/html")
    action = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    assert action in form.content.decode()
    assert client.post(action, {"password": "wrong", "return_url": url}).status_code == 200
    response = client.post(action, {"password": "richtig-2024", "return_url": url})
    assert response.status_code == 302 and response["Location"] == url
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "original_images/../../../etc/passwd",
        "images/%00x.png",
        "original_images/" + "a" * 300 + ".png",
        "%C2%B2",
        "images/%E2%80%AEgnp.exe",
        "private/original_images/x.png",
    ],
)
def test_hostile_private_media_names_are_not_found(demo, client, name):
    assert client.get("/private-media/" + name).status_code in (400, 404)


def test_a_private_folder_inside_media_root_is_refused(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongjian_site.settings.dev",
        "MEDIA_ROOT": str(tmp_path),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    code = "import django; django.setup()"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode != 0
    assert "PRIVATE_MEDIA_ROOT must lie outside MEDIA_ROOT" in out.stderr
