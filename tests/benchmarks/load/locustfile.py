"""The mixed load of `make bench-load`: residents reading, searchers, an editor saving drafts.

Paths come from the site's own sitemap.xml (so every page type the demo has is read);
editors log in to the real admin, open a page's edit form, change the title and save a
draft, so each successful save must leave exactly one new revision behind.
"""

import json
import os
import random
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

from bs4 import BeautifulSoup
from locust import HttpUser, between, events, task

SEARCHES = ["党建", "双报到", "兼职委员", "志愿服务", "幸福里", "共驻共建", "党群微家", "微心愿"]
EDIT_PAGE_IDS = [int(pk) for pk in os.environ["LOAD_EDIT_PAGE_IDS"].split(",")]
PASSWORD = os.environ.get("LOAD_PASSWORD", "gongjian-demo")
SAVES_FILE = os.environ["LOAD_SAVES_FILE"]

PAGE_PATHS = []
SAVES = []  # (page id, title) of each save the server confirmed with a redirect


@events.test_start.add_listener
def read_sitemap(environment, **kwargs):
    import requests

    xml = requests.get(environment.host + "/sitemap.xml", timeout=30).text
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    PAGE_PATHS[:] = [
        urlparse(loc.text).path for loc in ET.fromstring(xml).iterfind(".//s:loc", namespace)
    ]
    if not PAGE_PATHS:
        raise RuntimeError("the sitemap lists no pages")


@events.test_stop.add_listener
def write_saves(environment, **kwargs):
    with open(SAVES_FILE, "w") as out:
        json.dump(SAVES, out)


def form_fields(form):
    """What a browser would submit for ``form`` (without pressing any button)."""
    fields = []
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "textarea":
            fields.append((name, element.text))
        elif element.name == "select":
            chosen = element.find_all("option", selected=True) or element.find_all("option")[:1]
            if element.has_attr("multiple"):
                fields.extend(
                    (name, o.get("value", o.text))
                    for o in element.find_all("option", selected=True)
                )
            elif chosen:
                fields.append((name, chosen[0].get("value", chosen[0].text)))
        else:
            kind = element.get("type", "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                continue
            if kind in {"checkbox", "radio"} and not element.has_attr("checked"):
                continue
            fields.append((name, element.get("value", "on" if kind == "checkbox" else "")))
    return fields


#: The same think time for every kind of user, the static baseline included.
THINK = between(0.05, 0.2)
STATIC_PATH = os.environ.get("LOAD_STATIC_PATH", "/static/")


class StaticFile(HttpUser):
    """The baseline: a static file through the same gunicorn and WhiteNoise."""

    wait_time = THINK

    @task
    def get_static(self):
        self.client.get(STATIC_PATH, name="static file")


class Resident(HttpUser):
    weight = 3
    wait_time = THINK

    @task
    def read_page(self):
        self.client.get(random.choice(PAGE_PATHS), name="page")


class Searcher(HttpUser):
    weight = 1
    wait_time = THINK

    @task
    def search(self):
        self.client.get("/search/", params={"q": random.choice(SEARCHES)}, name="search")


class Editor(HttpUser):
    """Exactly one per run, whatever the number of clients: the others read and search."""

    fixed_count = 1
    wait_time = THINK

    def on_start(self):
        page = self.client.get("/admin/login/", name="admin login")
        token = BeautifulSoup(page.text, "html.parser").find(
            "input", {"name": "csrfmiddlewaretoken"}
        )
        self.client.post(
            "/admin/login/",
            {"username": "admin", "password": PASSWORD, "csrfmiddlewaretoken": token["value"]},
            name="admin login",
        )

    @task
    def save_draft(self):
        page_id = random.choice(EDIT_PAGE_IDS)
        edit_url = f"/admin/pages/{page_id}/edit/"
        page = self.client.get(edit_url, name="admin edit form")
        form = BeautifulSoup(page.text, "html.parser").find(
            "form", {"method": re.compile("post", re.I)}, id=re.compile("page-edit-form")
        )
        if form is None:
            return
        fields = [(k, v) for k, v in form_fields(form) if k != "title"]
        title = f"负载测试标题 {random.randrange(10**9)}"
        fields.append(("title", title))
        with self.client.post(
            edit_url,
            data=fields,
            name="admin save draft",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                SAVES.append((page_id, title))
                response.success()
            else:
                response.failure(f"save answered {response.status_code}")
