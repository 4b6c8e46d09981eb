"""Contact phones: a Chinese mobile, or a landline with its area code."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from plugins.orgs.models import ResidentUnitPage
from plugins.orgs.validators import validate_phone

VALID = [
    "13812345678",
    "138 1234 5678",
    "+86 139-1234-5678",
    "010-65123456",
    "0791-8812 3300",
    "(0571)87654321",
    "021 6512 3456",
    "0571-87654321转801",
]
INVALID = [
    "12345",
    "12812345678",  # no 12x mobile prefix
    "1381234567",  # 10 digits
    "65123456",  # landline without area code
    "010-1234",
    "电话号码",
    "abc-defg",
    "0791-0812 3300",  # subscriber numbers do not start with 0
]


@pytest.mark.parametrize("value", VALID)
def test_valid_numbers(value):
    validate_phone(value)


@pytest.mark.parametrize("value", INVALID)
def test_junk_is_refused_with_a_clear_chinese_message(value):
    with pytest.raises(ValidationError) as error:
        validate_phone(value)
    message = error.value.messages[0]
    assert value in message and "手机号" in message and "区号" in message


@pytest.mark.django_db
def test_admin_form_shows_the_message_and_keeps_the_page(admin_client_demo):
    page = ResidentUnitPage.objects.get(slug="jiangan-no1-hospital")
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(
        admin_client_demo.get(url).content.decode(), form_id="page-edit-form"
    )
    revisions = page.revisions.count()
    data["phone"] = "call me maybe"
    data["address"] = "改过的地址"
    response = admin_client_demo.post(url, data)
    assert response.status_code == 200
    assert "不是有效的联系电话" in response.content.decode()
    # What the editor typed is still in the form, nothing was saved.
    assert response.context["form"]["address"].value() == "改过的地址"
    assert page.revisions.count() == revisions
    page.refresh_from_db()
    assert page.phone == "0791-8812 0120"
