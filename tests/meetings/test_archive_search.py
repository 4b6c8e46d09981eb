"""Published minutes are searchable in the archive, with phone numbers hidden as on the page."""

from datetime import date

import pytest

from plugins.meetings.models import MeetingIndexPage, MeetingPage
from plugins.orgs.models import CommunityPage
from search import service
from search.models import SearchDocument
from search.query import SearchRequest

pytestmark = pytest.mark.django_db


def test_published_minutes_are_found_and_drafts_are_not(city):
    community = CommunityPage.objects.get(slug="guangming")
    index = MeetingIndexPage.objects.child_of(community).get()
    page = MeetingPage(
        title="第三季度党建联席会议",
        slug="q3-joint",
        kind="joint",
        date=date(2025, 9, 18),
        live=False,
        topics="老旧小区加装电梯\n停车难",
        minutes="<p>议定加装电梯由物业牵头，联系人 13812345678。</p>",
    )
    index.add_child(instance=page)
    page.save_revision()  # a draft: not in the archive
    assert not SearchDocument.objects.filter(page_id=page.pk).exists()

    page.get_latest_revision().publish()
    response, _ = service.run(SearchRequest(q="加装电梯"))
    hits = [hit for hit in response.results if hit.document.page_id == page.pk]
    assert len(hits) == 1
    assert hits[0].document.doc_type == "minutes"
    document = SearchDocument.objects.get(page_id=page.pk)
    assert "13812345678" not in document.body
    assert "电话已隐去" in document.body
