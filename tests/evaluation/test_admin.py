"""The admin pages open for each kind of user, within a bounded number of queries."""

import json

from django.contrib.auth.models import Group

from gongjian_site import clock
from plugins.evaluation.admin import ADMINS
from plugins.evaluation.models import RatingRound, ScoreWeights
from plugins.evaluation.policies import MANAGERS_GROUP
from plugins.evaluation.setup import setup
from tests.conftest import login


def test_setup_is_idempotent(db):
    first = setup()
    count = first.permissions.count()
    assert setup().pk == first.pk and first.permissions.count() == count
    assert Group.objects.filter(name=MANAGERS_GROUP).count() == 1
    assert first.permissions.filter(codename="change_ratinground").exists()


def test_admin_pages_open(client, demo, django_assert_max_num_queries):
    year = clock.today().year - 1
    weights = ScoreWeights.objects.get(street__slug="xinhua", year=year)
    closed = RatingRound.objects.get(report__user__username="member_a")
    login(client, "admin")
    home = client.get("/admin/").content.decode()
    # The sidebar menu is JSON in the page, non-ASCII escaped.
    for label in ("考核评价", "统计看板", "月报表", "述职报告", "述职测评", "单位得分与排名",
                  "月报表项目", "评选表彰"):  # fmt: skip
        assert json.dumps(label)[1:-1] in home, label
    urls = [admin().url_helper.index_url for admin in ADMINS]
    urls += [admin().url_helper.create_url for admin in ADMINS]
    urls += [
        f"/admin/evaluation/dashboard/?year={year}",
        f"/admin/evaluation/scoreweights/scores/{weights.pk}/",
        f"/admin/evaluation/monthly/?year={year}",
        f"/admin/evaluation/ratinground/results/{closed.pk}/",
    ]
    for url in urls:
        with django_assert_max_num_queries(60):
            response = client.get(url)
        assert response.status_code == 200, url
    # A part-time member reaches their reports and the dashboard, not the managers' lists.
    login(client, "member_a")
    assert client.get(ADMINS[0]().url_helper.index_url).status_code == 200
    assert client.get(ADMINS[0]().url_helper.create_url).status_code == 200
    # 40, plus one query for each co-building / registrations chart (plugin metrics).
    with django_assert_max_num_queries(43):
        assert client.get(f"/admin/evaluation/dashboard/?year={year}").status_code == 200
    assert client.get(ADMINS[-1]().url_helper.create_url).status_code in (302, 403)
    # The open demo round's ballot page is light.
    open_round = RatingRound.objects.get(report__user__username="member_b")
    link = open_round.raters.filter(voted_at__isnull=True).first().vote_path()
    client.logout()
    with django_assert_max_num_queries(8):
        assert client.get(link).status_code == 200
