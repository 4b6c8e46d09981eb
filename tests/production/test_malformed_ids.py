"""Malformed ids in admin URL paths (issue 15): never a 500, as a member or a superuser.

``test_admin_sweep`` fills every admin URL pattern with real ids; here the same patterns
(read from the URL resolver, so views added later are swept too) get ids no one typed:
a superscript digit (``isdigit()`` says yes, ``int()`` says no), 2**63 (one past what
SQLite can bind), -1, hexadecimal, a NUL, Arabic-Indic digits (``int()`` reads them, the
``int`` path converter does not) and forty nines. One request per pattern and payload:
every id parameter of the pattern gets the payload, the other parameters a valid value.
Whatever does not match a pattern falls through to Wagtail's page serving, which must
answer 404 too.
"""

import re
import time
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.production.test_admin_sweep import OTHER_PARAMETERS, admin_patterns

PAYLOADS = ["²", "9223372036854775808", "-1", "0x10", "\x00", "١٢", "9" * 40]
#: A clear answer: the page, a redirect (login, permission denied, a canonical URL),
#: refused, not found, method not allowed, gone, or a bad request.
CLEAR = {200, 301, 302, 400, 403, 404, 405, 410}


def malformed_urls(payload):
    """(route name, URL) of every admin pattern with an id parameter, filled with ``payload``."""
    value = quote(payload, safe="")
    for route, name, _model, parameters, _pattern in admin_patterns():
        ids = [n for _converter, n in parameters if n not in OTHER_PARAMETERS]
        if not ids:
            continue
        path = route
        for _converter, parameter in parameters:
            filler = OTHER_PARAMETERS[parameter][0] if parameter in OTHER_PARAMETERS else value
            pattern = rf"<(?:\w+:)?{parameter}>|\(\?P<{parameter}>[^)]*\)"
            path = re.sub(pattern, lambda _m, f=filler: f, path, count=1)
        # Unnamed regex groups (Wagtail's older patterns) take the payload too.
        path = re.sub(r"\([^)]*\)", lambda _m: value, path)
        yield name, "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def test_every_admin_pattern_with_an_id_is_swept(demo):
    urls = [url for _name, url in malformed_urls("²")]
    assert len(urls) > 150
    assert "/admin/pages/%C2%B2/edit/" in urls
    assert "/admin/cobuilding/need/edit/%C2%B2/" in urls


@pytest.mark.parametrize("username", ["member_a", "admin"])
def test_malformed_ids_in_admin_paths_never_answer_500(demo, username):
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    unclear, requests = [], 0
    started = time.monotonic()
    for payload in PAYLOADS:
        for name, url in malformed_urls(payload):
            response = client.get(url)
            requests += 1
            if response.status_code not in CLEAR:
                unclear.append(f"{url} ({name}) {response.status_code}")
    print(f"\n{username}: {requests} requests in {time.monotonic() - started:.1f} s")
    assert not unclear, "\n".join(unclear)


def test_every_model_an_admin_url_serves_has_an_integer_key(demo):
    """What lets gongjian_site.adminpaths refuse any id that is not an integer."""
    from django.db import models

    served = {model for _route, _name, model, _params, _pattern in admin_patterns() if model}
    assert len(served) > 20
    for model in served:
        key = model._meta.pk
        while key.is_relation:  # a page type's key is its link to Page
            key = key.target_field
        assert isinstance(key, models.IntegerField), model
