"""Unit collections: a member uploads to, chooses from and edits their own unit's media only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

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
