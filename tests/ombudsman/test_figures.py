"""The ombudsman figures reports use, from findings and orders entered through the services.

Seed 002 (a council's housing scrutiny report, 2022/23): the Housing Ombudsman made eight determinations with
13 findings across five categories ('Ombudsman Findings by Category'); 2 were outside jurisdiction and 6 were
maladministration or service failure, a maladministration rate of 6 / 11 = 54.5%, published as 55%; 10 orders
for compensation, repairs, apologies and staff training, 100% complied with; £700 of compensation ordered,
£600 for property condition and £100 for complaints handling."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from ombudsman import selectors, services
from ombudsman.models import OrderKind
from ombudsman.selectors import Rate
from tests.factories import ServiceAreaFactory, api_token, finding_category, open_ombudsman_case

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db

YEAR_2022_23 = (D("2022-04-01"), D("2023-03-31"))
OUTCOME_COLUMNS = [
    "severe_maladministration",
    "maladministration",
    "service_failure",
    "mediation",
    "redress",
    "no_maladministration",
    "outside_jurisdiction",
    "withdrawn",
]

# Seed 002's table, as printed: category, then the outcome columns above, then the total.
SEED_002_TABLE = [
    ("Property condition", [0, 1, 3, 0, 0, 4, 0, 0], 8),
    ("Complaints handling", [0, 0, 2, 0, 0, 0, 0, 0], 2),
    ("Charges", [0, 0, 0, 0, 0, 1, 0, 0], 1),
    ("Moving to a property", [0, 0, 0, 0, 0, 0, 1, 0], 1),
    ("Staff", [0, 0, 0, 0, 0, 0, 1, 0], 1),
]
SEED_002_TOTALS = ([0, 1, 5, 0, 0, 5, 2, 0], 13)

# The eight determinations of 2022/23 as a complaints team would enter them: (date, findings, orders).
# Findings: (head of complaint, category, outcome). Orders: (type, pence, finding number, days to comply).
EIGHT_DETERMINATIONS = [
    (
        "2022-05-12",
        [
            ("Damp and mould in the bedroom", "Property condition", "maladministration"),
            ("Handling of the stage 2 complaint", "Complaints handling", "service_failure"),
        ],
        [
            ("compensation", 35000, 1, 28),
            ("compensation", 10000, 2, 28),
            ("repairs", None, 1, 56),
            ("apology", None, 1, 28),
        ],
    ),
    (
        "2022-07-04",
        [("Leak from the flat above", "Property condition", "service_failure")],
        [("compensation", 25000, 1, 28), ("repairs", None, 1, 42)],
    ),
    ("2022-08-22", [("Heating repairs", "Property condition", "service_failure")], [("apology", None, 1, 28)]),
    (
        "2022-10-10",
        [
            ("Window repairs", "Property condition", "service_failure"),
            ("Service charge for the door entry system", "Charges", "no_maladministration"),
        ],
        [("repairs", None, 1, 56), ("staff_training", None, 1, 90)],
    ),
    (
        "2022-11-28",
        [
            ("Kitchen replacement", "Property condition", "no_maladministration"),
            ("Response to the stage 1 complaint", "Complaints handling", "service_failure"),
        ],
        [("apology", None, 2, 28)],
    ),
    (
        "2023-01-16",
        [
            ("Roof repairs", "Property condition", "no_maladministration"),
            ("Offer of a new home", "Moving to a property", "outside_jurisdiction"),
        ],
        [],
    ),
    (
        "2023-02-20",
        [
            ("Bathroom extractor fan", "Property condition", "no_maladministration"),
            ("Conduct of the housing officer", "Staff", "outside_jurisdiction"),
        ],
        [],
    ),
    ("2023-03-31", [("Communal lighting", "Property condition", "no_maladministration")], []),
]


def _determine(officer, on, findings, orders=(), ombudsman="housing", area=None):
    on = D(on)
    received = on - datetime.timedelta(days=120)
    case = open_ombudsman_case(
        officer,
        original_complaint=None,
        ombudsman=ombudsman,
        received_on=received,
        service_area=area or ServiceAreaFactory(name="Responsive Repairs"),
        summary="Ombudsman case",
    )
    case = services.start_assessment(case, actor=officer, on=received + datetime.timedelta(days=7))
    case = services.start_investigation(case, actor=officer, on=received + datetime.timedelta(days=30))
    return services.record_determination(
        case,
        actor=officer,
        determined_on=on,
        findings=[
            services.FindingLine(head, finding_category(category), outcome) for head, category, outcome in findings
        ],
        orders=[
            services.OrderLine(
                order_type=kind,
                amount_pence=pence,
                finding_number=number,
                due_on=on + datetime.timedelta(days=days),
            )
            for kind, pence, number, days in orders
        ],
    )


@pytest.fixture
def year_2022_23(officer):
    """Seed 002's year entered case by case, every order complied with in time, plus determinations either
    side of the year and an LGSCO decision within it, which its Housing Ombudsman figures must leave out."""
    for on, findings, orders in EIGHT_DETERMINATIONS:
        determination = _determine(officer, on, findings, orders)
        for order in determination.orders.all():
            services.record_compliance(
                order, actor=officer, complied_on=order.due_on - datetime.timedelta(days=3), evidence="Done"
            )
    _determine(officer, "2022-03-31", [("Repairs", "Property condition", "severe_maladministration")])
    _determine(
        officer,
        "2023-04-01",
        [("Repairs", "Property condition", "maladministration")],
        [("compensation", 50000, 1, 28)],
    )
    _determine(
        officer,
        "2022-09-01",
        [("Homelessness decision", "Allocations and homelessness", "upheld")],
        [("compensation", 30000, 1, 28)],
        ombudsman="lgsco",
        area=ServiceAreaFactory(name="Homelessness and Homeless Prevention"),
    )


def test_findings_by_category_reproduce_seed_002s_table(year_2022_23):
    table = selectors.findings_by_category(*YEAR_2022_23)
    assert [value for value, _ in table.outcomes] == OUTCOME_COLUMNS
    assert [(row.category, row.cells, row.total) for row in table.rows] == SEED_002_TABLE
    assert (table.total_cells(), table.total) == SEED_002_TOTALS


def test_the_maladministration_rate_is_6_of_11_shown_as_55_percent(year_2022_23):
    rate = selectors.maladministration_rate(*YEAR_2022_23)
    assert (rate.numerator, rate.denominator) == (6, 11)
    assert rate.percent == Decimal("54.5")
    assert rate.shown == "55%"


def test_compensation_by_category_and_orders_by_type(year_2022_23):
    compensation = selectors.compensation_by_category(*YEAR_2022_23)
    assert [(row["category"], row["ordered_pence"]) for row in compensation] == [
        ("Property condition", 60000),
        ("Complaints handling", 10000),
    ]
    assert sum(row["ordered_pence"] for row in compensation) == 70000
    by_type = {row["order_type"]: row["orders"] for row in selectors.orders_by_type(*YEAR_2022_23)}
    assert by_type == {"compensation": 3, "repairs": 3, "apology": 3, "staff_training": 1}
    assert sum(by_type.values()) == 10


def test_every_order_of_2022_23_complied_with_in_time_is_a_100_percent_compliance_rate(year_2022_23):
    rate = selectors.order_compliance_rate(*YEAR_2022_23, as_of=D("2023-12-31"))
    assert (rate.numerator, rate.denominator, rate.shown) == (10, 10, "100%")


def test_the_lgsco_figures_are_counted_apart(year_2022_23):
    table = selectors.findings_by_category(*YEAR_2022_23, ombudsman="lgsco")
    assert [(row.category, row.counts["upheld"]) for row in table.rows] == [("Allocations and homelessness", 1)]
    assert selectors.lgsco_upheld_rate(*YEAR_2022_23).shown == "100%"
    assert selectors.compensation_by_category(*YEAR_2022_23, ombudsman="lgsco")[0]["ordered_pence"] == 30000
    both = selectors.compensation_by_category(*YEAR_2022_23, ombudsman=None)
    assert sum(row["ordered_pence"] for row in both) == 100000


def test_order_compliance_counts_orders_due_and_those_complied_with_by_their_due_date(officer):
    determination = _determine(
        officer,
        "2024-05-01",
        [("Repairs", "Property condition", "maladministration")],
        [
            ("apology", None, 1, 14),  # complied in time
            ("compensation", 20000, 1, 28),  # complied late
            ("repairs", None, 1, 42),  # due, never complied
            ("staff_training", None, 1, 400),  # not due yet: counts in neither
        ],
    )
    apology, compensation, _repairs, _training = determination.orders.order_by("due_on")
    services.record_compliance(apology, actor=officer, complied_on=apology.due_on, evidence="Letter sent")
    services.record_compliance(
        compensation, actor=officer, complied_on=compensation.due_on + datetime.timedelta(days=1), evidence="Paid"
    )
    recommendation = determination.orders.create(
        kind=OrderKind.RECOMMENDATION, order_type="policy_review", due_on=D("2024-06-01")
    )
    assert recommendation.complied_on is None  # a recommendation is not an order: it does not count
    rate = selectors.order_compliance_rate(D("2024-04-01"), D("2025-03-31"), as_of=D("2024-12-31"))
    assert (rate.numerator, rate.denominator) == (1, 3)
    assert (rate.percent, rate.shown) == (Decimal("33.3"), "33%")


def test_rates_round_half_up_from_the_exact_ratio_and_say_when_there_is_nothing_to_count():
    assert Rate(1, 8).shown == "13%"  # 12.5% rounds up, as the ombudsman publishes
    assert Rate(1, 8).percent == Decimal("12.5")
    # 54.45%: one decimal place gives 54.5, but the whole percentage is 54, not 55 from rounding twice.
    assert (Rate(5445, 10000).percent, Rate(5445, 10000).shown) == (Decimal("54.5"), "54%")
    assert Rate(0, 0).ratio is None and Rate(0, 0).percent is None


def test_the_figures_page_and_the_api_show_the_same_year(year_2022_23, officer, officer_client):
    page = officer_client.get("/ombudsman/figures/", {"start": "2022-04-01", "end": "2023-03-31"})
    assert page.status_code == 200
    content = page.content.decode()
    assert "8 Housing Ombudsman determinations made from 1 April 2022 to 31 March 2023" in content
    assert "55% (6 of 11 findings, 54.5%)" in content
    assert "£700.00" in content and "£600.00" in content and "£100.00" in content
    assert "100% (10 of 10 orders due)" in content
    bad = officer_client.get("/ombudsman/figures/", {"start": "2023-03-31", "end": "2022-04-01"})
    assert bad.status_code == 400 and "The end of the period must be on or after its start." in bad.content.decode()

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(officer)}")
    body = api.get("/api/v1/ombudsman-figures/", {"start": "2022-04-01", "end": "2023-03-31"}).json()
    assert body["determinations"] == 8
    assert body["findings"]["total"] == 13
    assert body["findings"]["rows"][0] == {
        "category": "Property condition",
        "counts": dict(zip(OUTCOME_COLUMNS, [0, 1, 3, 0, 0, 4, 0, 0], strict=True)),
        "total": 8,
    }
    assert body["rate"] == {"numerator": 6, "denominator": 11, "percent": "54.5", "shown": "55%"}
    assert body["compensation_ordered_pence"] == 70000
    assert api.get("/api/v1/ombudsman-figures/", {"start": "2022-04-01"}).status_code == 400
    lgsco = api.get("/api/v1/ombudsman-figures/", {"start": "2022-04-01", "end": "2023-03-31", "ombudsman": "lgsco"})
    assert lgsco.json()["determinations"] == 1
    assert lgsco.json()["compensation_ordered_pence"] == 30000
    assert lgsco.json()["findings"]["outcomes"] == ["upheld", "not_upheld", "closed_after_initial_enquiries"]


def test_the_performance_report_carries_the_ombudsman_figures_of_the_year(year_2022_23, manager, manager_client):
    page = manager_client.get("/reports/", {"year": "2022/23"}).content.decode()
    assert "Housing Ombudsman: findings by category and outcome" in page and "55%" in page
    api = APIClient()
    api.force_authenticate(manager)
    sections = {s["key"]: s for s in api.get("/api/v1/reports/performance/", {"year": "2022/23"}).json()["sections"]}
    tables = {table["key"]: table for table in sections["ombudsman"]["tables"]}
    rates = tables["housing-rates"]["rows"]
    assert rates[0] == {
        "measure": "Maladministration rate",
        "count": 6,
        "of": 11,
        "percent": "54.5%",
        "published": "55%",
    }
    assert tables["housing-findings"]["rows"][-1]["total"] == 13
    assert [row["category"] for row in tables["housing-compensation"]["rows"]] == [
        "Property condition",
        "Complaints handling",
    ]
    assert tables["housing-compensation"]["rows"][0]["ordered"] == "£600.00"
    assert tables["lgsco-findings"]["rows"][0] == {
        "category": "Allocations and homelessness",
        "upheld": 1,
        "not_upheld": 0,
        "closed_after_initial_enquiries": 0,
        "total": 1,
    }
    elsewhere = api.get(
        "/api/v1/reports/performance/",
        {"year": "2022/23", "service_area": ServiceAreaFactory(name="Homelessness and Homeless Prevention").pk},
    ).json()
    only = {table["key"] for s in elsewhere["sections"] if s["key"] == "ombudsman" for table in s["tables"]}
    assert only == {"lgsco-findings", "lgsco-rates", "lgsco-orders", "lgsco-compensation"}
