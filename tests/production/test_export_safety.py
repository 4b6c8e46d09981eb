"""Issue 15, items 6 and 7: every export writes hostile text as inert text, whatever is
stored: formulas (OWASP CSV injection) become text, control characters are dropped,
and no moderator gets a 500 (openpyxl's IllegalCharacterError, lxml's ValueError).

Records are stored directly (not through the forms, which refuse control characters
now), as older data or another way in would have stored them.
"""

import io

import docx
import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from gongjian_site.spreadsheets import safe_cell
from plugins.registrations.models import MemberCheckIn, UnitCheckIn, UnitSurvey
from plugins.registrations.validators import credit_code_check_char
from tests.conftest import login

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/","点击核对")'
# PostgreSQL text cannot hold NUL at all; every other control character it stores.
NUL = "\x00" if connection.vendor == "sqlite" else ""
CONTROL = f"\x01{NUL}\x1b[31m红色\x1b[0m\x7f\x0b"


def code(first17):
    return first17 + credit_code_check_char(first17)


def xlsx_cells(response):
    assert response.status_code == 200, response.content[:500]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def assert_inert(cells):
    for cell in cells:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
            assert not any(ord(c) < 32 and c not in "\t\n\r" for c in cell.value), cell.value
            assert "\x1b" not in cell.value and "\x7f" not in cell.value


@pytest.fixture
def hostile_records(demo):
    from plugins.orgs.models import CommunityPage

    community = CommunityPage.objects.get(slug="xingfuli")
    common = {"community": community, "party_organisation": "+SUM(1,2)",
              "secretary_name": "@cmd", "party_member_count": 3}  # fmt: skip
    UnitSurvey.objects.create(
        **common, unit_name=FORMULA, credit_code=code("91360100MA7QXY811"), kind="private_firm",
        address=f"幸福里{CONTROL}路", contact_name="-2+3", contact_phone="\t=1+1",
        resources="\r=1+1\n第二行",
    )  # fmt: skip
    UnitCheckIn.objects.create(
        **common, unit_name="\x01\x1b[31m=1+1", credit_code=code("91360100MA7QXY813"),
        org_type="branch", liaison_name=FORMULA, liaison_phone="19900000000",
        intentions=CONTROL * 3,
    )  # fmt: skip
    MemberCheckIn.objects.create(
        community=community, name=FORMULA, party_organisation=CONTROL, workplace="@SUM(A1)",
        service_post="supervision", mobile="-19900000000", home_address=f"{CONTROL}\ufffe",
    )  # fmt: skip
    return community


@pytest.mark.parametrize("key", ["survey", "checkin", "member"])
def test_registration_exports_are_inert_and_never_500(client, hostile_records, key):
    login(client, "secretary_a")  # the community's moderator
    cells = xlsx_cells(client.get(f"/admin/registrations/export/{key}/"))
    assert_inert(cells)
    values = [cell.value for cell in cells]
    # The text is kept, readable, behind OWASP's quote.
    if key == "survey":
        assert "'" + FORMULA in values and "'+SUM(1,2)" in values and "'@cmd" in values
        assert "幸福里红色路" in values and "'-2+3" in values
        assert "'\t=1+1" in values and "'\r=1+1\n第二行" in values
    elif key == "checkin":
        assert "'=1+1" in values  # "\x01=1+1": stripped first, then seen as a formula
        assert "红色" * 3 in values
    else:
        assert "'" + FORMULA in values and "'@SUM(A1)" in values and "'-19900000000" in values
        assert "红色" in values


def test_safe_cell_keeps_numbers_dates_and_plain_text():
    import datetime

    assert safe_cell(-5) == -5 and safe_cell(2.5) == 2.5 and safe_cell(None) is None
    day = datetime.date(2026, 1, 1)
    assert safe_cell(day) is day
    assert safe_cell("江安市第一人民医院") == "江安市第一人民医院"
    assert safe_cell("x" * 40000) == "x" * 32767  # Excel's limit on one cell


def test_evaluation_downloads_are_inert(client, admin_client_demo):
    """Unit and community titles are written by editors and go into the dashboards'
    and the public statistics' Excel files."""
    from wagtail.models import Page

    from plugins.evaluation.metrics import all_metrics
    from plugins.orgs.models import CommunityPage, ResidentUnitPage

    Page.objects.filter(
        pk__in=list(ResidentUnitPage.objects.values_list("pk", flat=True))
        + list(CommunityPage.objects.values_list("pk", flat=True))
    ).update(title=f"=1+1{CONTROL}")
    metrics = [metric for metric in all_metrics() if metric.public]
    assert metrics
    for metric in metrics:
        assert_inert(xlsx_cells(client.get(f"/evaluation/statistics/{metric.key}.xlsx")))
    for metric in all_metrics():
        url = reverse("evaluation_admin:dashboard_xlsx", args=[metric.key])
        assert_inert(xlsx_cells(admin_client_demo.get(url)))


def test_agreement_docx_exports_whatever_is_stored(client, demo):
    from plugins.cobuilding.models import Agreement

    agreement = Agreement.objects.select_related("community").first()
    assert agreement is not None
    Agreement.objects.filter(pk=agreement.pk).update(
        unit_representative=f"李{CONTROL}建国", clauses=f"1. 第一条{CONTROL}\n2. {FORMULA}"
    )
    login(client, "secretary_a")
    response = client.get(f"/admin/cobuilding/agreement/docx/{agreement.pk}/")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "负责人（签字）：李红色建国" in cells
    assert "1. 第一条红色" in [p.text for p in document.paragraphs]
