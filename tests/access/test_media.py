"""Unit collections: a member uploads to, chooses from and edits their own unit's media only."""

import importlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from plugins.access.media import UNITS_COLLECTION, ensure_unit_collections
from plugins.access.models import Appointment
from plugins.orgs.models import ResidentUnitPage
from plugins.orgs.setup import PUBLIC_COLLECTION
from tests.conftest import login

Image = get_image_model()


def _png(name="photo.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def media(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ua = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    ub = ResidentUnitPage.objects.get(slug="jiangbei-experimental-primary")
    collections = {
        "ua": ua.unit_collection.collection,
        "ub": ub.unit_collection.collection,
        "public": Collection.objects.get(name=PUBLIC_COLLECTION),
    }
    images = {
        key: Image.objects.create(title=f"{key}-photo", file=_png(f"{key}.png"), collection=c)
        for key, c in collections.items()
    }
    return {"collections": collections, "images": images}


def _upload(client, collection):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": "义诊现场", "file": _png(), "collection": collection.pk, "tags": ""},
    )


def test_every_unit_has_its_own_collection(media):
    assert media["collections"]["ua"] != media["collections"]["ub"]
    assert media["collections"]["ua"].name == "江安市第一人民医院"


def test_member_uploads_to_own_unit_only(client, media, django_assert_max_num_queries):
    login(client, "member_a")
    with django_assert_max_num_queries(40):
        assert client.get(reverse("wagtailimages:add")).status_code == 200
    # Asking for another collection never puts anything there (with a single permitted
    # collection Wagtail does not even offer the choice).
    for other in ("ub", "public"):
        _upload(client, media["collections"][other])
        assert not Image.objects.filter(
            title="义诊现场", collection=media["collections"][other]
        ).exists()
    Image.objects.filter(title="义诊现场").delete()
    response = _upload(client, media["collections"]["ua"])
    assert response.status_code == 302
    assert Image.objects.get(title="义诊现场").collection == media["collections"]["ua"]


def test_member_edits_own_unit_media_only(client, media):
    login(client, "member_a")
    own, other = media["images"]["ua"], media["images"]["ub"]
    assert client.get(reverse("wagtailimages:edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("wagtailimages:edit", args=[other.pk])).status_code in (302, 403)
    client.post(reverse("wagtailimages:delete", args=[other.pk]))
    assert Image.objects.filter(pk=other.pk).exists()


def test_chooser_offers_own_and_public_media(client, media, django_assert_max_num_queries):
    login(client, "member_a")
    with django_assert_max_num_queries(40):
        response = client.get(reverse("wagtailimages_chooser:choose"))
    html = response.json()["html"]
    assert "ua-photo" in html and "public-photo" in html
    assert "ub-photo" not in html
    login(client, "member_b")
    html = client.get(reverse("wagtailimages_chooser:choose")).json()["html"]
    assert "ub-photo" in html and "ua-photo" not in html


def test_removed_member_loses_media_rights(client, media):
    Appointment.objects.get(user__username="member_a").remove(
        reason="transfer", decided_on=media["images"]["ua"].created_at.date()
    )
    login(client, "member_a")
    assert client.get(
        reverse("wagtailimages:edit", args=[media["images"]["ua"].pk])
    ).status_code in (
        302,
        403,
    )
    _upload(client, media["collections"]["ua"])
    assert not Image.objects.filter(title="义诊现场").exists()


# --- What is public (issue 15 items 2 and 3) ----------------------------------------

Document = get_document_model()


@pytest.fixture
def files(media):
    """A 述职-style internal file in UA's collection, a public file, and UA's photo."""
    documents = {
        key: Document.objects.create(
            title=f"{key}-file",
            file=ContentFile(b"%PDF internal", name=f"{key}.pdf"),
            collection=media["collections"][key],
        )  # fmt: skip
        for key in ("ua", "ub", "public")
    }
    return {**media, "documents": documents}


def _listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return {item["title"] for item in response.json()["items"]}


def _publish_with(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_unit_collections_are_private_from_setup(files):
    parent = files["collections"]["ua"].get_parent()
    assert parent.name == UNITS_COLLECTION
    assert CollectionViewRestriction.objects.filter(collection=parent).count() == 1
    ensure_unit_collections()  # idempotent
    assert CollectionViewRestriction.objects.filter(collection=parent).count() == 1
    assert files["collections"]["ua"].get_view_restrictions().exists()
    assert not files["collections"]["public"].get_view_restrictions().exists()


def test_existing_sites_get_the_restriction_on_migrate(files):
    """The data migration (an upgrade step run by ``migrate`` and so by ``restore``)."""
    from django.apps import apps

    step = importlib.import_module("plugins.access.migrations.0004_private_unit_collections")
    CollectionViewRestriction.objects.all().delete()
    step.make_private(apps, None)
    step.make_private(apps, None)
    parent = files["collections"]["ua"].get_parent()
    assert CollectionViewRestriction.objects.filter(collection=parent).count() == 1


def test_public_api_lists_public_media_only(client, files, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        documents = _listed(client, "/api/v2/documents/")
    assert documents == {"public-file"}
    assert _listed(client, "/api/v2/images/") == {"public-photo"}
    assert client.get(f"/api/v2/documents/{files['documents']['ua'].pk}/").status_code == 404
    # Logging in opens no back door: the public API is the public's.
    login(client, "member_b")
    assert _listed(client, "/api/v2/documents/") == {"public-file"}


def test_media_used_on_a_live_public_page_are_public(client, files):
    unit = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    document = files["documents"]["ua"]
    _publish_with(
        unit,
        cover_image=files["images"]["ua"],
        intro=f'<p><a linktype="document" id="{document.pk}">公示文件</a></p>',
    )
    assert _listed(client, "/api/v2/images/") == {"public-photo", "ua-photo"}
    assert _listed(client, "/api/v2/documents/") == {"public-file", "ua-file"}
    assert client.get(document.url).status_code == 200
    # Not once the page is unpublished.
    unit.unpublish()
    assert _listed(client, "/api/v2/images/") == {"public-photo"}
    assert client.get(document.url).status_code == 302


def test_internal_documents_are_served_to_their_unit_only(client, files):
    internal, public = files["documents"]["ua"], files["documents"]["public"]
    assert client.get(public.url).status_code == 200
    response = client.get(internal.url)
    assert response.status_code == 302 and "login" in response["Location"]
    login(client, "member_b")
    assert client.get(internal.url).status_code == 403
    for username in ("member_a", "secretary_a"):
        login(client, username)
        response = client.get(internal.url)
        assert response.status_code == 200, username
        assert b"".join(response.streaming_content) == b"%PDF internal"


def test_admin_media_api_follows_collection_scoping(client, files, django_assert_max_num_queries):
    login(client, "member_a")
    with django_assert_max_num_queries(30):
        images = _listed(client, "/admin/api/main/images/")
    assert images == {"ua-photo", "public-photo"}
    assert _listed(client, "/admin/api/main/documents/") == {"ua-file", "public-file"}
    ub = files["images"]["ub"]
    assert client.get(f"/admin/api/main/images/{ub.pk}/").status_code == 404
    login(client, "member_b")
    assert _listed(client, "/admin/api/main/images/") == {"ub-photo", "public-photo"}
    login(client, "admin")
    assert _listed(client, "/admin/api/main/images/") == {"ua-photo", "ub-photo", "public-photo"}
