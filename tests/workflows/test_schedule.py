"""定时发布: approved with a go-live time, published when publish_scheduled runs after it."""

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from plugins.workflows.states import page_state
from tests.conftest import login
from tests.workflows.conftest import act, current_state, live_title


def test_scheduled_go_live_publishes_after_its_time(client, pages, submit, monkeypatch):
    ua = pages["ua"]
    go_live = timezone.localtime() + timedelta(days=1)
    submit(ua, "member_a", title="江安市第一人民医院（明日上线）",
           go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))  # fmt: skip
    act(client, ua, current_state(ua), "approve", "secretary_a")
    page = Page.objects.get(pk=ua.pk)
    assert page.title == "江安市第一人民医院"  # the old version stays live until then
    state = page_state(page)
    assert state.key == "scheduled" and go_live.strftime("%Y-%m-%d %H:%M") in str(state)
    login(client, "member_a")
    assert "定时发布" in client.get(reverse("wagtailadmin_home")).content.decode()

    call_command("publish_scheduled")  # before the time: nothing happens
    assert live_title(ua) == "江安市第一人民医院"
    # Two days later (the cron line in the README runs this every minute).
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    call_command("publish_scheduled")
    monkeypatch.undo()
    assert live_title(ua) == "江安市第一人民医院（明日上线）"
    assert page_state(Page.objects.get(pk=ua.pk)).key == "published"


def test_expiry_takes_the_page_offline(pages):
    ua = Page.objects.get(pk=pages["ua"].pk)
    ua.expire_at = timezone.now() - timedelta(minutes=1)
    ua.save()
    call_command("publish_scheduled")
    page = Page.objects.get(pk=ua.pk)
    assert not page.live and page.expired
    assert str(page_state(page)) == "已下线（已过期）"
