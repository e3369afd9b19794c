"""The seeds' published figures, rebuilt from case data created here."""

import datetime
from decimal import Decimal

import pytest

from casework.models import IssueNature, ServiceArea
from reporting import selectors
from reporting.periods import Period, financial_year
from tests.factories import make_office
from tests.reporting.builders import Spec, Stage, spread, write_complaints, write_enquiries

pytestmark = pytest.mark.django_db

# Seed 000: complaints and members' enquiries received each month of 2020.
COMPLAINTS_2020 = [19, 27, 33, 14, 18, 30, 31, 27, 74, 84, 39, 20]
ENQUIRIES_2020 = [133, 141, 139, 113, 117, 140, 136, 133, 186, 154, 180, 111]


def _month_dates(year, month, count):
    first = datetime.date(year, month, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return spread(count, first, last)


def test_seed_000_monthly_counts_and_the_rise_over_the_year_to_date_average():
    specs = [
        Spec("Tenancy Management", [Stage(1, day)])
        for month, count in enumerate(COMPLAINTS_2020, start=1)
        for day in _month_dates(2020, month, count)
    ]
    write_complaints(specs)
    _, member = make_office()
    area = ServiceArea.objects.get(name="Tenancy Management")
    write_enquiries(
        member,
        area,
        [d for month, count in enumerate(ENQUIRIES_2020, 1) for d in _month_dates(2020, month, count)],
    )
    year = Period(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))

    # The committee paper compares September to November with January to August.
    data = selectors.performance(year, average_until=datetime.date(2020, 8, 1))
    months = {row["month"].month: row for row in data["months"]}
    assert [months[m]["total"] for m in range(1, 13)] == COMPLAINTS_2020
    assert sum(row["total"] for row in data["months"]) == 416
    assert [months[m]["enquiries"] for m in range(1, 13)] == ENQUIRIES_2020
    assert months[9]["year_to_date_average"] == 25
    assert months[9]["rise_percent"] == 196
    assert months[10]["rise_percent"] == 236
    assert months[8]["rise_percent"] is None  # inside the average, not compared with it
    assert months[9]["enquiries_year_to_date_average"] == 132
    assert [months[m]["enquiries_rise_percent"] for m in (9, 10, 11)] == [41, 17, 36]

    # Without a fixed baseline each month is compared with the months before it: September's is the same.
    rolling = {row["month"].month: row for row in selectors.performance(year)["months"]}
    assert rolling[9]["year_to_date_average"] == 25 and rolling[9]["rise_percent"] == 196
    assert rolling[10]["year_to_date_average"] == 30  # January to September: 273 / 9


# Seed 002, figure 8 (received) and figure 11 (upheld) by issue nature, 2021/22 and 2022/23.
FIGURE_8 = {
    "Responsive Repairs (Mears)": (148, 235, 87, "58.8"),
    "Gas Servicing and Repairs (Aaron Services)": (45, 62, 17, "37.8"),
    "Transforming Homes": (29, 44, 15, "51.7"),
    "Tenancy Management": (62, 75, 13, "21.0"),
    "Temporary Accommodation": (8, 20, 12, "150.0"),
    "Repairs and Maintenance (Non-Mears)": (60, 68, 8, "13.3"),
    "Rents": (6, 12, 6, "100.0"),
    "Caretaking": (9, 14, 5, "55.6"),
    "Homelessness and Homeless Prevention": (32, 36, 4, "12.5"),
    "Private Sector Housing": (3, 4, 1, "33.3"),
    "CCTV/Concierge": (3, 3, 0, "0.0"),
    "Adaptations": (1, 0, -1, "-100.0"),
    "Garages": (3, 2, -1, "-33.3"),
    "Mutual Exchange": (1, 0, -1, "-100.0"),
    "Right to Buy": (3, 2, -1, "-33.3"),
    "Voids": (18, 17, -1, "-5.6"),
    "Sheltered Housing": (13, 11, -2, "-15.4"),
    "Safeguarding": (7, 4, -3, "-42.9"),
    "Leaseholders": (11, 5, -6, "-54.5"),
    "Anti-Social Behaviour": (39, 24, -15, "-38.5"),
    "Allocations": (64, 33, -31, "-48.4"),
}
FIGURE_11 = {
    "Responsive Repairs (Mears)": (68, 128, 60, "88.2"),
    "Transforming Homes": (8, 18, 10, "125.0"),
    "Gas Servicing and Repairs (Aaron Services)": (16, 23, 7, "43.8"),
    "Rents": (1, 6, 5, "500.0"),
    "Repairs and Maintenance (Non-Mears)": (16, 19, 3, "18.8"),
    "Private Sector Housing": (0, 2, 2, None),  # published as 200.0%: a rise from none has no percentage here
    "CCTV/Concierge": (0, 1, 1, None),  # published as 100.0%
    "Leaseholders": (2, 3, 1, "50.0"),
    "Sheltered Housing": (1, 2, 1, "100.0"),
    "Anti-Social Behaviour": (6, 6, 0, "0.0"),
    "Caretaking": (1, 1, 0, "0.0"),
    "Temporary Accommodation": (2, 2, 0, "0.0"),
    "Voids": (5, 5, 0, "0.0"),
    "Homelessness and Homeless Prevention": (4, 3, -1, "-25.0"),
    "Safeguarding": (1, 0, -1, "-100.0"),
    "Right to Buy": (2, 0, -2, "-100.0"),
    "Tenancy Management": (19, 14, -5, "-26.3"),
    "Allocations": (11, 3, -8, "-72.7"),
}
# Paragraph 7.5: upheld out of complaints with an outcome of upheld or not upheld, 2022/23.
DECIDED_2022 = {
    "Responsive Repairs (Mears)": 221,
    "Rents": 11,
    "Leaseholders": 6,
    "Private Sector Housing": 4,
    "Transforming Homes": 42,
}


def _seed_002_specs():
    """Complaints received as figure 8 says; responses with outcomes as figure 11 and paragraph 7.5 say.
    A year's responses go first to that year's complaints, then to the previous year's (received in March,
    answered in April), as happens at a year end."""
    specs = []
    for nature, (received_2021, received_2022, _, _) in FIGURE_8.items():
        pools = {}
        for year, count in ((2021, received_2021), (2022, received_2022)):
            dates = spread(count, datetime.date(year, 4, 1), datetime.date(year + 1, 2, 28))
            pools[year] = [Spec(nature, [Stage(1, day)]) for day in dates]
            specs.extend(pools[year])
        upheld_2021, upheld_2022, _, _ = FIGURE_11.get(nature, (0, 0, 0, None))
        wanted = {
            2021: ["upheld"] * upheld_2021,
            2022: ["upheld"] * upheld_2022 + ["not_upheld"] * (DECIDED_2022.get(nature, upheld_2022) - upheld_2022),
        }
        unanswered = {year: list(pool) for year, pool in pools.items()}
        for year in (2021, 2022):
            for outcome in wanted[year]:
                own = unanswered[year]
                spec = own.pop(0) if own else unanswered[year - 1].pop()
                stage = spec.stages[0]
                stage.responded_on = max(stage.requested_on, datetime.date(year, 4, 1)) + datetime.timedelta(days=20)
                stage.outcome, stage.within, stage.working_days = outcome, True, 14
    return specs


def test_seed_002_variance_by_issue_nature_2021_22_against_2022_23():
    write_complaints(_seed_002_specs())
    data = selectors.performance(financial_year(2022))
    rows = {row["issue_nature"]: row for row in data["by_issue_nature"]}

    for nature, (before, now, variance, percent) in FIGURE_8.items():
        row = rows[nature]
        assert (row["received_previous"], row["received"], row["variance"]) == (before, now, variance), nature
        assert row["variance_percent"] == Decimal(percent), nature
    assert data["headline"]["received"] == 671
    assert data["headline"]["received_previous"] == 565
    assert data["headline"]["variance_percent"] == Decimal("18.8")  # "an 18.8% increase"
    # Seed 002's order: the largest numerical rise first, the largest fall last.
    assert data["by_issue_nature"][0]["issue_nature"] == "Responsive Repairs (Mears)"
    assert data["by_issue_nature"][-1]["issue_nature"] == "Allocations"

    for nature, (before, now, variance, percent) in FIGURE_11.items():
        row = rows[nature]
        assert (row["upheld_previous"], row["upheld_current"], row["upheld_variance"]) == (before, now, variance)
        assert row["upheld_variance_percent"] == (Decimal(percent) if percent else None), nature

    # Paragraph 7.5: 57.9% (128/221), 54.5% (6/11), 50% (3/6), 50% (2/4), 42.9% (18/42).
    assert rows["Responsive Repairs (Mears)"]["percent_upheld"] == Decimal("57.9")
    assert rows["Rents"]["percent_upheld"] == Decimal("54.5")
    assert rows["Leaseholders"]["percent_upheld"] == Decimal("50.0")
    assert rows["Private Sector Housing"]["percent_upheld"] == Decimal("50.0")
    assert rows["Transforming Homes"]["percent_upheld"] == Decimal("42.9")


def test_seed_003_escalation_rate_and_average_working_days_2019_20():
    received = spread(2322, datetime.date(2019, 4, 1), datetime.date(2020, 3, 31))
    specs = []
    for index, day in enumerate(received):
        stage_1 = Stage(
            1, day, day + datetime.timedelta(days=25), "not_upheld", True, False, 20 if index < 1625 else 19
        )
        stages = [stage_1]
        if index < 160:  # the earliest 160 go on to stage 2 within the year
            requested = stage_1.responded_on + datetime.timedelta(days=7)
            stages.append(
                Stage(
                    2,
                    requested,
                    requested + datetime.timedelta(days=28),
                    "not_upheld",
                    True,
                    False,
                    21 if index < 32 else 20,
                )
            )
        specs.append(Spec("Tenancy Management", stages))
    write_complaints(specs)

    data = selectors.performance(financial_year(2019))
    assert data["escalation"]["stage_1"] == 2322
    assert data["escalation"]["stage_2"] == 160
    assert data["escalation"]["rate_percent_whole"] == Decimal("7")  # "an escalation rate of 7%"
    assert data["escalation"]["rate_percent"] == Decimal("6.9")
    stages = {row["stage"]: row for row in data["by_stage"]}
    assert stages[1]["average_working_days"] == Decimal("19.7")  # resolution stage, 2019/20
    assert stages[2]["average_working_days"] == Decimal("20.2")  # review stage, 2019/20

    annual = selectors.annual_report(2019)
    assert annual["escalation"]["rate_percent_whole"] == Decimal("7")
    trend = {row["financial_year"]: row for row in annual["trend"]}
    assert trend["2019/20"]["stages"][0]["received"] == 2322
    assert trend["2019/20"]["stages"][1]["received"] == 160
    assert trend["2018/19"]["stages"][0]["received"] == 0
    assert IssueNature.objects.filter(name="Tenancy Management").exists()
