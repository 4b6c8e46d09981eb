import os

import pytest

from plugins.orgs.models import CommunityPage, GridBranchPage
from search.backends import get_backend

BACKENDS = ["database"] + (["elasticsearch"] if os.environ.get("ELASTICSEARCH_URL") else [])


@pytest.fixture(params=BACKENDS)
def backend(request, settings):
    """Each behavioural test runs against every backend that can run here."""
    settings.SEARCH_BACKEND = request.param
    engine = get_backend(request.param)
    if request.param == "elasticsearch":
        from search.indexing import rebuild

        rebuild()
    return engine


@pytest.fixture
def publish_text(demo):
    """Publish a grid branch page under community A with the given title and text."""
    community = CommunityPage.objects.get(slug="xingfuli")
    counter = {"n": 0}

    def make(title, text, parent=None, live=True):
        counter["n"] += 1
        page = GridBranchPage(title=title, slug=f"t{counter['n']}", intro=f"<p>{text}</p>")
        (parent or community).add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
        else:
            page.live = False
            page.save()
        return page

    return make
