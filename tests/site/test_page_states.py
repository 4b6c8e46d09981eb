"""One vocabulary of page states in the admin (issue 21): 已发布 / 草稿 / 审核中 / 定时发布 /
已过期, pairs joined with " + ". Wagtail's own zh_Hans catalogue says 在用, 发布, 已发布,
发布+审核中 and 已计划 for these in different places; locale/zh_Hans corrects it."""

import pytest
from django.utils import translation

from plugins.activities.models import ActivityPage

STATES = {
    "live": "已发布",
    "Live": "已发布",
    "draft": "草稿",
    "in moderation": "审核中",
    "scheduled": "定时发布",
    "expired": "已过期",
    "live + draft": "已发布 + 草稿",
    "live + in moderation": "已发布 + 审核中",
    "live + scheduled": "已发布 + 定时发布",
    "Published": "已发布",
}


def test_every_state_has_one_name():
    with translation.override("zh-hans"):
        assert {msgid: translation.gettext(msgid) for msgid in STATES} == STATES


@pytest.mark.django_db
def test_the_admin_says_the_same_in_every_place(admin_client_demo):
    page = ActivityPage.objects.live().first()
    page.title = page.title + "（修改中）"
    page.save_revision()  # a draft on top of the live page
    page.refresh_from_db()
    assert page.status_string == "已发布 + 草稿"  # listings, choosers, reports
    explorer = admin_client_demo.get(f"/admin/pages/{page.get_parent().pk}/")
    edit = admin_client_demo.get(f"/admin/pages/{page.pk}/edit/")
    for response in (explorer, edit):
        body = response.content.decode()
        assert response.status_code == 200
        assert "在用" not in body and "发布+" not in body and "已计划" not in body
    # the editor's status panel: the live page and the draft on top of it
    assert "已发布" in edit.content.decode() and "草稿" in edit.content.decode()
