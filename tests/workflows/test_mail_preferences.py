"""Our workflow mails replace Wagtail's, so they respect the same switches of each user's
账号设置 › 通知 (submitted, approved, rejected) that Wagtail's own mails respect."""

from django.contrib.auth import get_user_model
from django.core import mail
from wagtail.users.models import UserProfile

from tests.workflows.conftest import act, current_state

SECRETARY, MEMBER = "secretary_a@demo.gongjian.invalid", "member_a@demo.gongjian.invalid"


def _switch(username, **flags):
    profile = UserProfile.get_for_user(get_user_model().objects.get(username=username))
    for name, value in flags.items():
        setattr(profile, f"{name}_notifications", value)
    profile.save()


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_each_mail_follows_its_recipients_switch(client, pages, submit):
    ua = pages["ua"]
    # The reviewer does not want "waiting for you" mails; the author wants approvals only.
    _switch("secretary_a", submitted=False)
    _switch("member_a", approved=True, rejected=False)

    mail.outbox.clear()
    submit(ua, "member_a", title="江安市第一人民医院（一）")
    assert _recipients() == []
    act(client, ua, current_state(ua), "reject", "secretary_a", comment="请补充")
    assert _recipients() == []

    submit(ua, "member_a", title="江安市第一人民医院（二）")
    act(client, ua, current_state(ua), "approve", "secretary_a")
    assert _recipients() == [MEMBER]

    # Switched back on, the reviewer is told again.
    _switch("secretary_a", submitted=True)
    mail.outbox.clear()
    submit(ua, "member_a", title="江安市第一人民医院（三）")
    assert _recipients() == [SECRETARY]
