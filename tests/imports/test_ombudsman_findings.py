"""Ombudsman cases and their findings from CSV: the seed's 2022/23 determinations give its published figures."""

import datetime
from pathlib import Path

import pytest

from casework.reference_data import load_reference_data
from imports.core import import_file
from ombudsman import selectors
from ombudsman.models import Finding, OmbudsmanCase, OmbudsmanStage

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "ombudsman-findings.csv"
YEAR = (datetime.date(2022, 4, 1), datetime.date(2023, 3, 31))
HEADER = "reference,ombudsman,date_received,determined_on,service_area,complaint_head,category,outcome"


@pytest.fixture(autouse=True)
def reference_data():
    load_reference_data()


def test_the_example_gives_the_seeds_figures_and_imports_once():
    result = import_file("ombudsman-findings", EXAMPLE.read_bytes())
    assert result.ok, result.problems
    assert OmbudsmanCase.objects.count() == 8 and Finding.objects.count() == 13
    rate = selectors.maladministration_rate(*YEAR)
    assert (rate.numerator, rate.denominator) == (6, 11)  # seed 002: 55%
    compensation = {row["category"]: row["ordered_pence"] for row in selectors.compensation_by_category(*YEAR)}
    assert compensation == {"Property condition": 60000, "Complaints handling": 10000}
    assert set(OmbudsmanCase.objects.values_list("status", flat=True)) == {OmbudsmanStage.CLOSED}
    again = import_file("ombudsman-findings", EXAMPLE.read_bytes())
    assert again.ok and again.unchanged == 8 and Finding.objects.count() == 13


def test_outcomes_the_ombudsman_does_not_give_and_unknown_categories_are_reported():
    data = (
        "\n".join(
            [
                HEADER + ",compensation",
                "L-1,lgsco,01/02/2023,01/06/2023,Allocations,Banding,Allocations and homelessness,maladministration,",
                "L-2,housing,01/02/2023,01/06/2023,Rents,Charges,Rent setting,service failure,",
                "L-3,housing,01/02/2023,01/06/2023,Rents,Charges,Charges,service failure,£100",
            ]
        )
        + "\n"
    ).encode()
    result = import_file("ombudsman-findings", data)
    found = {(p.row, p.column) for p in result.problems}
    assert {(2, "outcome"), (None, "category"), (4, "compensation_due_on")} <= found
    assert "does not find 'maladministration'" in next(p.message for p in result.problems if p.row == 2)
    assert OmbudsmanCase.objects.count() == 0


def test_an_unpaid_order_keeps_the_case_open_with_its_clock():
    data = (
        HEADER + ",compensation,compensation_due_on\n" + "O-1,housing,01/02/2023,01/06/2023,Rents,Charges,Charges,"
        "service failure,£100,30/06/2023\n"
    ).encode()
    assert import_file("ombudsman-findings", data).ok
    case = OmbudsmanCase.objects.get()
    assert case.status == OmbudsmanStage.DETERMINATION and case.closed_at is None
    assert case.next_due_on == datetime.date(2023, 6, 30)
    order = case.determination.orders.get()
    assert order.clock.is_open and order.clock.due_on == datetime.date(2023, 6, 30)
