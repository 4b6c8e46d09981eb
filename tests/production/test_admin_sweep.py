"""The admin URL sweep: no admin response shows a record its viewer may not see.

Every admin URL pattern is read from the URL resolver, so views added later are swept
without anyone listing them. Each pattern is filled with object ids, per model where the
pattern says which model it serves (a modeladmin's model, a generic view's or DRF
viewset's ``model``, or its id parameter's name: ``page_id``, ``image_id`` ...) and with
the ids of every swept record otherwise (plugins' own action views), and requested with
GET as each demo role.

What "another unit's record" is comes from the one decision of each model: the record
policies registered with Wagtail's policy registry (``user_has_permission_for_instance``
with ``view``, issue 17) and the media policy
(``plugins.access.media.user_can_view_media``). Before the sweep every text field of
every such record gets a unique token (``ZQ0012QZ``), so a record shows wherever its
title, name or body is rendered, in HTML, JSON, a Word or an Excel file. Two rules:

1. no response contains the token of a record the viewer may not see;
2. an object URL of such a record (its edit, history, inspect ... view) never answers 200.

Pages themselves (drafts in the page chooser, search ...) are the page policy's part
(issue 15 item 4); here page URLs are swept for the records they show.
"""

import io
import re
import time
import zipfile
from functools import cache, partial

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client
from django.urls import URLResolver, get_resolver
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page
from wagtail_modeladmin.options import ModelAdmin

from plugins.access.media import user_can_view_media
from plugins.access.record_policy import record_policy
from plugins.orgs.models import CommunityPage, ResidentUnitPage, StreetPage
from plugins.orgs.setup import PUBLIC_COLLECTION

ROLES = {
    "member": "member_a",
    "other member": "member_b",
    "reviewer": "secretary_a",
    "other reviewer": "secretary_b",
    "publicity": "publicity",
    "anonymous": None,
}

Image = get_image_model()
Document = get_document_model()

#: Views a sweep does not request: logging out ends the session; the error test view
#: raises on purpose (Wagtail's check that 500 pages work).
SKIPPED = {"wagtailadmin_logout", "wagtailadmin_error_test"}

#: Models of id parameters whose view does not name its model.
ID_PARAMETERS = {
    "page_id": Page,
    "parent_page_id": Page,
    "page_to_move_id": Page,
    "page_pk": Page,
    "destination_id": Page,
    "image_id": Image,
    "document_id": Document,
    "doc_id": Document,
    "street_id": StreetPage,
    "collection_id": Collection,
}
#: Values of the parameters that are not object ids (each value is swept).
OTHER_PARAMETERS = {
    "app_label": ["cobuilding"],
    "model_name": ["need"],
    "app_name": ["cobuilding"],
    "content_type_app_name": ["orgs"],
    "content_type_model_name": ["residentunitpage"],
    "action": ["delete"],
    "action_name": ["approve"],
    "filter_spec": ["max-165x165"],
    "fmt": ["docx", "pdf"],
    "table_key": ["survey", "checkin", "member"],
    "key": ["needs"],
    "year": ["2025"],
    "month": ["1"],
    "revision_id_a": ["earliest"],
    "revision_id_b": ["latest"],
}
TOKEN = re.compile(r"ZQ(\d{4})QZ")
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _unwrap(view):
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return view


def _model_of(view):
    """The model a view serves, when the view says so."""
    view = _unwrap(view)
    owner = getattr(view, "__self__", None)
    if isinstance(owner, ModelAdmin):
        return owner.model
    initkwargs = getattr(view, "view_initkwargs", None) or {}
    for source in (initkwargs, getattr(view, "view_class", None), getattr(view, "cls", None)):
        model = (source.get("model") if isinstance(source, dict)
                 else getattr(source, "model", None))  # fmt: skip
        if isinstance(model, type) and issubclass(model, models.Model):
            return model
    return None


@cache
def admin_patterns():
    """(route, name, view model, parameters) of every admin URL, from the resolver."""
    found = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                route = prefix + str(pattern.pattern)
                name = ":".join(filter(None, [namespace, pattern.name]))
                parameters = [(conv, a or b) for conv, a, b in PARAMETER.findall(route)]
                found.append((route, name, _model_of(pattern.callback), parameters, pattern))

    walk(get_resolver().url_patterns, "", "")
    admin = settings.ADMIN_URL
    return [entry for entry in found if entry[0].startswith(admin) and entry[1] not in SKIPPED]


def _record_admins():
    admins = {}
    for _route, _name, _model, _params, pattern in admin_patterns():
        owner = getattr(_unwrap(pattern.callback), "__self__", None)
        if isinstance(owner, ModelAdmin):
            admins[owner.model] = owner
    return admins


def _may_view(policy, user, obj):
    return policy.user_has_permission_for_instance(user, "view", obj)


def _text_fields(model):
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, (models.CharField, models.TextField))
            and not isinstance(field, (models.SlugField, models.EmailField, models.URLField))
            and not field.choices
            and not field.primary_key
            and (field.max_length is None or field.max_length >= 10)
            and field.name not in ("file", "file_hash")
        ):
            yield field.name


def _png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="sweep.png")


class Sweep:
    """The swept records, their tokens and the decision of who may see each."""

    def __init__(self):
        self.admins = _record_admins()
        self.objects = []  # index -> object (the token's number)
        self.deciders = {}  # model -> decide(user, obj)
        for model in self.admins:
            policy = record_policy(model)
            self.deciders[model] = partial(_may_view, policy)
        self.deciders[Image] = self.deciders[Document] = user_can_view_media
        self._make_media()
        for model in self.deciders:
            names = list(_text_fields(model)) if model not in (Image, Document) else ["title"]
            for obj in model._default_manager.order_by("pk"):
                token = f"ZQ{len(self.objects):04d}QZ"
                self.objects.append(obj)
                values = {}
                for name in names:
                    max_length = model._meta.get_field(name).max_length
                    values[name] = token if max_length is None or max_length >= len(token) else ""
                model._default_manager.filter(pk=obj.pk).update(**values)
                for name, value in values.items():
                    setattr(obj, name, value)

    def _make_media(self):
        """A photo and a file in units A and B's collections and in the public one."""
        collections = {
            "ua": ResidentUnitPage.objects.get(slug="jiangan-no1-hospital").unit_collection,
            "ub": ResidentUnitPage.objects.get(
                slug="jiangbei-experimental-primary"
            ).unit_collection,
            "a": CommunityPage.objects.get(slug="xingfuli").unit_collection,
            "b": CommunityPage.objects.get(slug="guangming").unit_collection,
        }
        collections = {key: link.collection for key, link in collections.items()}
        collections["public"] = Collection.objects.get(name=PUBLIC_COLLECTION)
        for key, collection in collections.items():
            Image.objects.create(title=key, file=_png(), collection=collection)
            Document.objects.create(
                title=key, file=ContentFile(b"internal", name=f"{key}.txt"), collection=collection
            )

    def ids_for(self, model, user):
        """Ids of ``model`` to sweep: every record the user may not see, one they may."""
        if model in self.deciders:
            objs = [obj for obj in self.objects if type(obj) is model]
            hidden = [obj.pk for obj in objs if not self.may_see(user, obj)]
            shown = [obj.pk for obj in objs if self.may_see(user, obj)][:1]
            return hidden + shown
        if model is not None and issubclass(model, Page):
            return list(self.pages)
        if model is not None:
            return list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:2])
        # A plugin's own view with an id of no named model: every swept record's id.
        return sorted({obj.pk for obj in self.objects if not self.may_see(user, obj)})

    @property
    def pages(self):
        """Community A and unit UB: another community's unit for A's people, another
        community for B's (page URLs are swept for the records they show)."""
        slugs = ("xingfuli", "jiangbei-experimental-primary")
        return Page.objects.filter(slug__in=slugs).values_list("pk", flat=True)

    def may_see(self, user, obj):
        if user is None:
            return False
        key = (user.pk, type(obj), obj.pk)
        if key not in self._memo:
            self._memo[key] = self.deciders[type(obj)](user, obj)
        return self._memo[key]

    _memo = {}


def _urls(route, parameters, ids):
    """Every URL of ``route`` with its id parameters set to each of ``ids``."""
    values = {}
    for _converter, name in parameters:
        values[name] = OTHER_PARAMETERS.get(name, [None])
    variants = [{}]
    for name, choices in values.items():
        variants = [dict(v, **{name: c}) for v in variants for c in choices]
    for variant in variants:
        for pk in ids if any(v is None for v in variant.values()) else [None]:
            path = route
            for _converter, name in parameters:
                value = variant[name] if variant[name] is not None else pk
                path = re.sub(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)", str(value), path, count=1)
            yield "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def _texts(response):
    """The text of a response, with the XML inside Word and Excel files."""
    content = b"".join(response) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    return content.decode("utf-8", "replace")


@pytest.mark.parametrize("role", list(ROLES))
def test_no_admin_response_shows_a_record_its_viewer_may_not_see(demo, role):
    sweep = Sweep()
    sweep._memo = {}
    username = ROLES[role]
    user = get_user_model().objects.get(username=username) if username else None
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    leaks, opened, errors, requests = [], [], [], 0
    started = time.monotonic()
    for route, _name, model, parameters, _pattern in admin_patterns():
        id_names = [
            name for converter, name in parameters if name not in OTHER_PARAMETERS
        ]  # fmt: skip
        if not id_names:
            ids = [None]
        else:
            named = model or ID_PARAMETERS.get(id_names[0])
            ids = sweep.ids_for(named, user)
        for pk, url in zip_ids(route, parameters, ids):
            response = client.get(url)
            requests += 1
            if response.status_code >= 500:
                errors.append(f"{url} {response.status_code}")
                continue
            if response.status_code != 200:
                continue
            if pk is not None and model in sweep.deciders:
                obj = next(o for o in sweep.objects if type(o) is model and o.pk == pk)
                if not sweep.may_see(user, obj):
                    opened.append(f"{url} answers 200 for {model.__name__} {pk}")
            for number in set(TOKEN.findall(_texts(response))):
                obj = sweep.objects[int(number)]
                if not sweep.may_see(user, obj):
                    leaks.append(f"{url} shows {type(obj).__name__} {obj.pk}")
    elapsed = time.monotonic() - started
    print(f"\n{role}: {requests} requests in {elapsed:.1f} s")
    assert requests > 300
    assert not leaks, "\n".join(sorted(set(leaks)))
    assert not opened, "\n".join(sorted(set(opened)))
    assert not errors, "\n".join(errors)


def zip_ids(route, parameters, ids):
    """(id, url) pairs: the id each URL was built with (None when it has none)."""
    for pk in ids:
        for url in _urls(route, parameters, [pk]):
            yield pk, url
