"""姓名: Chinese names family name first, no space, wherever a name is shown."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from docx import Document

from gongjian_site.names import full_name, person_name
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("given", "family", "shown"),
    [
        ("建国", "王", "王建国"),
        ("晓梅", "陈", "陈晓梅"),
        ("建国 ", " 欧阳", "欧阳建国"),
        ("热合曼", "阿卜杜·", "阿卜杜·热合曼"),
        ("Anna", "Schmidt", "Anna Schmidt"),
        ("", "王", "王"),
        ("Anna", "", "Anna"),
        ("", "", ""),
    ],
)
def test_person_name(given, family, shown):
    assert person_name(given, family) == shown


def western_order(users):
    """Patterns of "given family" (with the space) for every two-part Chinese name."""
    return [
        f"{u.first_name} {u.last_name}"
        for u in users
        if u.first_name and u.last_name and re.search(r"[\u4e00-\u9fff]", u.first_name)
    ]


@pytest.fixture
def people(demo):
    users = list(get_user_model().objects.exclude(first_name="").exclude(last_name=""))
    assert len(users) >= 5
    return users


def test_every_demo_user_reads_family_name_first(people):
    for user in people:
        assert user.get_full_name() == f"{user.last_name}{user.first_name}"
        assert full_name(user) == user.get_full_name()


def test_public_pages_and_the_admin_show_no_western_order(client, people):
    wrong = western_order(people)
    from plugins.orgs.models import CommunityPage

    pages = ["/", *(p.url for p in CommunityPage.objects.live())]
    for url in pages:
        html = client.get(url).content.decode()
        assert not [w for w in wrong if w in html], url
    login(client, "admin")
    for url in ("/admin/", "/admin/users/", "/admin/reports/site-history/"):
        html = client.get(url).content.decode()
        assert not [w for w in wrong if w in html], url
    # Wagtail's own user list shows the name in our order.
    someone = people[0]
    assert someone.get_full_name() in client.get("/admin/users/").content.decode()


def test_mails_and_letters_use_family_name_first(people, settings):
    from plugins.evaluation.letters import feedback_letter
    from plugins.evaluation.models import RatingRound

    wrong = western_order(people)
    call_command("expire_appointments", stdout=io.StringIO())
    for message in mail.outbox:
        assert not [w for w in wrong if w in message.body], message.subject
    rating_round = RatingRound.objects.filter(report__user__isnull=False).first()
    if rating_round is None:
        pytest.skip("the demo has no rating round")
    text = "\n".join(p.text for p in Document(io.BytesIO(feedback_letter(rating_round))).paragraphs)
    assert rating_round.report.user.get_full_name() in text
    assert not [w for w in wrong if w in text]


def test_honours_name_the_year_once_and_the_person_family_name_first(client, people):
    from plugins.evaluation.models import Award

    award = Award.objects.exclude(person_name="").select_related("organisation").first()
    if award is None:
        pytest.skip("the demo has no personal honour")
    html = client.get(award.organisation.url).content.decode()
    item = re.search(r'<section class="awards".*?</section>', html, re.S).group(0)
    assert award.display_title in item and award.person_name in item
    year = str(award.year)
    assert f"{year}</span> {year}" not in item and f"{year}年</span> {year}" not in item
    assert not [w for w in western_order(people) if w in item]
