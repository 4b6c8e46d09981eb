"""/evaluation/statistics/ (issue 21 item 8): opens on the latest year that has data, and
its tables stay readable on a 390 px phone."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from gongjian_site import clock

pytestmark = pytest.mark.django_db


def heading_year(response):
    return int(re.search(r"<h1>区域化党建统计 · (\d{4}) 年</h1>", response.content.decode())[1])


def test_opens_on_the_latest_year_with_data(client, demo, monkeypatch):
    this_year = clock.today().year
    assert heading_year(client.get("/evaluation/statistics/")) == this_year  # the demo's year

    # New Year's Day: nothing recorded yet for the new year; the page opens on the last.
    monkeypatch.setattr(clock, "today", lambda: datetime.date(this_year + 1, 1, 1))
    response = client.get("/evaluation/statistics/?from=newyear")
    assert heading_year(response) == this_year
    body = response.content.decode()
    assert f"year={this_year}" in body  # the Excel links follow the year shown
    assert f'<a href="?year={this_year + 1}">{this_year + 1}</a>' in body  # still offered
    # Asking for a year shows that year, empty or not.
    assert heading_year(client.get(f"/evaluation/statistics/?year={this_year + 1}")) == (
        this_year + 1
    )


def test_table_headings_do_not_wrap_on_a_phone(client, demo):
    body = client.get("/evaluation/statistics/").content.decode()
    assert "evaluation/statistics.css" in body
    tables = body.count('<table class="listing">')
    assert tables >= 1
    # Every table sits in its own horizontally scrolling, keyboard-reachable box.
    assert body.count('<div class="table-scroll" role="region"') == tables
    css = Path(finders.find("evaluation/statistics.css")).read_text(encoding="utf-8")
    rule = re.search(
        r"\.table-scroll th,\s*\.evaluation-statistics \.table-scroll td\s*{([^}]*)}", css
    )
    assert rule and "white-space: nowrap" in rule[1]
    box = re.search(r"\.evaluation-statistics \.table-scroll\s*{([^}]*)}", css)
    assert box and "overflow-x: auto" in box[1]
