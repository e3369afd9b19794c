"""Ombudsman cases and their findings from CSV: the seed's 2022/23 determinations give its published figures."""

import datetime
from pathlib import Path

import pytest

from casework.models import Ombudsman, ServiceArea
from casework.reference_data import load_reference_data
from complaints.schemes import scheme_for
from imports.core import import_file
from ombudsman import selectors
from ombudsman.models import Finding, OmbudsmanCase, OmbudsmanStage, Order

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


def _file(header, *lines):
    return ("\n".join([header, *lines]) + "\n").encode()


ORDERS_HEADER = (
    HEADER + ",finding_number,order_type,order_kind,order_description,order_amount,order_due_on,order_complied_on"
)


def test_orders_of_every_type_are_imported_so_the_orders_made_are_reproduced():
    # Ten orders and one recommendation over two cases: on the finding's row, on rows of their own naming the
    # finding, and a recommendation on the determination as a whole.
    data = _file(
        ORDERS_HEADER,
        "H-1,housing,01/02/2022,01/06/2022,Rents,Damp,Property condition,maladministration,1,repairs,,Fix the damp,,"
        "01/07/2022,20/06/2022",
        "H-1,,,,,Handling,Complaints handling,service failure,2,compensation,order,,£150,01/07/2022,21/06/2022",
        "H-1,,,,,,,,1,apology,,Written apology,,15/06/2022,10/06/2022",
        "H-1,,,,,,,,1,compensation,,,£400,01/07/2022,21/06/2022",
        "H-1,,,,,,,,2,staff training,,Complaint handling training,,01/09/2022,01/08/2022",
        "H-1,,,,,,,,2,policy review,,Review the compensation policy,,01/09/2022,",
        "H-1,,,,,,,,,policy review,recommendation,Review the damp policy,,,",
        "H-2,housing,01/03/2022,01/07/2022,Rents,Noise,Anti-social behaviour,severe maladministration,,other,,"
        "Senior officer to meet the resident,,01/08/2022,01/08/2022",
        "H-2,,,,,,,,1,apology,,,,01/08/2022,01/08/2022",
        "H-2,,,,,,,,1,repairs,,,,01/08/2022,01/08/2022",
        "H-2,,,,,,,,1,staff training,,,,01/10/2022,01/09/2022",
    )
    result = import_file("ombudsman-findings", data, today=datetime.date(2023, 1, 10))
    assert result.ok, [str(p) for p in result.problems]
    by_type = {row["order_type"]: (row["orders"], row["recommendations"]) for row in selectors.orders_by_type(*YEAR)}
    assert sum(orders for orders, _ in by_type.values()) == 10
    assert by_type == {
        "compensation": (2, 0),
        "repairs": (2, 0),
        "apology": (2, 0),
        "staff_training": (2, 0),
        "policy_review": (1, 1),
        "other": (1, 0),
    }
    first = OmbudsmanCase.objects.get(external_reference="H-1")
    orders = first.determination.orders.select_related("finding", "clock")
    assert {(o.order_type, o.finding.number if o.finding else None) for o in orders} == {
        ("repairs", 1),
        ("compensation", 2),
        ("apology", 1),
        ("compensation", 1),
        ("staff_training", 2),
        ("policy_review", 2),
        ("policy_review", None),
    }
    review = orders.get(order_type="policy_review", kind="order")
    assert review.clock.is_open and review.due_on == datetime.date(2022, 9, 1)
    assert first.status == OmbudsmanStage.DETERMINATION  # the policy review is outstanding
    second = OmbudsmanCase.objects.get(external_reference="H-2")
    assert second.status == OmbudsmanStage.CLOSED and second.closed_on == datetime.date(2022, 9, 1)
    assert selectors.compensation_by_category(*YEAR) == [
        {"category": "Property condition", "ordered_pence": 40000, "recommended_pence": 0},
        {"category": "Complaints handling", "ordered_pence": 15000, "recommended_pence": 0},
    ]
    again = import_file("ombudsman-findings", data, today=datetime.date(2023, 1, 10))
    assert again.ok and again.unchanged == 2 and Order.objects.count() == 11


def test_an_order_whose_finding_does_not_exist_is_refused_and_nothing_is_written():
    data = _file(
        ORDERS_HEADER,
        "H-1,housing,01/02/2022,01/06/2022,Rents,Damp,Property condition,maladministration,1,,,,,,",
        "H-1,,,,,,,,3,repairs,,Fix the roof,,01/07/2022,",
        "H-9,,,,,,,,1,apology,,,,01/07/2022,",
        "H-1,,,,,,,,,repairs,,Fix the gutter,,01/07/2022,",
    )
    result = import_file("ombudsman-findings", data)
    messages = {(p.row, p.column): p.message for p in result.problems}
    assert messages[(3, "finding_number")] == (
        "finding 3 of 'H-1' does not exist: its findings in this file are 1. An order is imported in the same file "
        "as the finding it remedies."
    )
    assert "this file has no finding of it" in messages[(4, "finding_number")]
    assert "give that finding's number" in messages[(5, "finding_number")]
    assert OmbudsmanCase.objects.count() == 0 and Order.objects.count() == 0


def test_bad_order_values_are_each_reported_on_their_row():
    data = _file(
        ORDERS_HEADER,
        "H-1,housing,01/02/2022,01/06/2022,Rents,Damp,Property condition,maladministration,1,,,Fix it,,,",
        "H-1,,,,,,,,1,compensation,,,,01/07/2022,",
        "H-1,,,,,,,,1,apology,,,£50,01/07/2022,",
        "H-1,,,,,,,,1,apology,,,,,",
        "H-1,,,,,,,,1,flowers,,,,01/07/2022,",
        "H-1,,,,,,,,1,repairs,perhaps,,,01/07/2022,",
        "H-1,,,,,,,,1,repairs,,,,01/05/2022,",
    )
    result = import_file("ombudsman-findings", data)
    found = {(p.row, p.column) for p in result.problems}
    assert found == {
        (2, "order_type"),  # a description without what the order is
        (3, "order_amount"),
        (4, "order_amount"),
        (5, "order_due_on"),
        (6, "order_type"),
        (7, "order_kind"),
        (8, "order_due_on"),
    }, [str(p) for p in result.problems]
    assert OmbudsmanCase.objects.count() == 0


def test_the_case_columns_may_be_on_any_of_its_rows():
    # The trial migration's file: the case's first row left the case columns empty.
    data = _file(
        HEADER,
        "H-1,,,,,Damp,Property condition,maladministration",
        "H-1,housing,01/02/2022,01/06/2022,Rents,Handling,Complaints handling,service failure",
    )
    result = import_file("ombudsman-findings", data)
    assert result.ok, [str(p) for p in result.problems]
    case = OmbudsmanCase.objects.get()
    assert case.ombudsman == "housing" and case.received_on == datetime.date(2022, 2, 1)
    assert case.determination.findings.count() == 2


def test_different_case_values_name_the_row_that_gave_the_first_and_missing_ones_the_case():
    data = _file(
        HEADER,
        "H-1,,,,,Damp,Property condition,maladministration",
        "H-1,housing,01/02/2022,01/06/2022,Rents,Handling,Complaints handling,service failure",
        "H-1,lgsco,,,,Noise,Anti-social behaviour,no maladministration",
        "H-2,housing,,01/06/2022,Rents,Noise,Anti-social behaviour,no maladministration",
    )
    result = import_file("ombudsman-findings", data)
    messages = {(p.row, p.column): p.message for p in result.problems}
    assert messages[(4, "ombudsman")] == (
        "'lgsco' differs from 'housing' on row 3; every row of 'H-1' is the same case, with one ombudsman."
    )
    assert "is empty on every row of 'H-2' (row 5)" in messages[(5, "date_received")]
    assert not any("first row" in message for message in messages.values())
    assert OmbudsmanCase.objects.count() == 0


def test_numbered_and_unnumbered_findings_of_one_case_mix():
    # Numbered findings keep their numbers; the others take the lowest free numbers in the order of the rows.
    data = _file(
        HEADER + ",finding_number",
        "H-1,housing,01/02/2022,01/06/2022,Rents,First unnumbered,Property condition,maladministration,",
        "H-1,,,,,Numbered one,Complaints handling,service failure,1",
        "H-1,,,,,Second unnumbered,Charges,no maladministration,",
        "H-1,,,,,Numbered five,Charges,no maladministration,5",
    )
    result = import_file("ombudsman-findings", data)
    assert result.ok, [str(p) for p in result.problems]
    numbers = dict(Finding.objects.values_list("complaint_head", "number"))
    assert numbers == {"Numbered one": 1, "First unnumbered": 2, "Second unnumbered": 3, "Numbered five": 5}
    duplicate = import_file(
        "ombudsman-findings",
        _file(
            HEADER + ",finding_number",
            "H-2,housing,01/02/2022,01/06/2022,Rents,A,Charges,no maladministration,2",
            "H-2,,,,,B,Charges,no maladministration,2",
        ),
    )
    assert [str(p) for p in duplicate.problems] == [
        "Row 3, column finding_number: duplicate: finding 2 of 'H-2' is already on row 2."
    ]


def test_service_areas_created_from_an_lgsco_file_take_the_lgsco():
    data = _file(
        HEADER,
        "L-1,lgsco,01/02/2023,01/06/2023,Parking Services,Penalty charge,Complaints handling,upheld",
        "H-1,housing,01/02/2023,01/06/2023,Estate Caretaking,Cleaning,Complaints handling,service failure",
    )
    result = import_file("ombudsman-findings", data, create_reference_data=True)
    assert result.ok, [str(p) for p in result.problems]
    assert ServiceArea.objects.get(name="Parking Services").ombudsman == Ombudsman.LGSCO
    assert ServiceArea.objects.get(name="Estate Caretaking").ombudsman == Ombudsman.HOUSING
    assert scheme_for(ServiceArea.objects.get(name="Parking Services")).code == "corporate"
