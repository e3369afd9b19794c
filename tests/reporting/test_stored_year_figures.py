"""The annual report's five-year trend reads closed years from stored rows (reporting.trend), which always equal
a fresh computation from the daily figures; the self-assessment is built from the annual report's own figures;
the members' enquiries are counted once each, whichever of the year's days they were received or answered on."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.roles import Role
from complaints import services
from complaints.models import RefusalReason
from enquiries.models import Enquiry
from reporting import facts, monthly, selectors, trend
from reporting.models import ClosedYearFigures
from reporting.periods import financial_year
from tests.factories import UserFactory, log_complaint, make_office, submit_enquiry
from tests.reporting.builders import Spec, Stage, write_complaints

pytestmark = pytest.mark.django_db

D = datetime.date.fromisoformat
TODAY = datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)  # 2026/27 is under way; 2025/26 is closed


@pytest.fixture
def pinned():
    with time_machine.travel(TODAY, tick=False):
        yield


def stored():
    return {row.financial_year: row.stages for row in ClosedYearFigures.objects.all()}


def seed_years():
    """Complaints received and answered in each of 2021/22 to 2026/27."""
    specs = []
    for year in range(2021, 2027):
        for n in range(year - 2019):  # a different count each year
            first = datetime.date(year, 5, 2 + n)
            stages = [Stage(1, first, first + datetime.timedelta(days=14), "upheld", True, False, 10 + n)]
            if n % 2:
                second = first + datetime.timedelta(days=30)
                stages.append(Stage(2, second, second + datetime.timedelta(days=20), "not_upheld", True, False, 18))
            specs.append(Spec("Responsive Repairs (Mears)", stages))
    write_complaints(specs)


def test_closed_years_are_stored_once_and_equal_a_fresh_computation(pinned):
    seed_years()
    trend_rows = selectors.yearly_trend(2025)

    assert [row["financial_year"] for row in trend_rows] == ["2021/22", "2022/23", "2023/24", "2024/25", "2025/26"]
    assert sorted(stored()) == [2021, 2022, 2023, 2024, 2025]
    assert stored() == trend.compute(range(2021, 2026))
    assert trend_rows[0]["stages"][0] == {"stage": 1, "received": 2, "average_working_days": 10.5}

    # A second read sums nothing: it reads the five stored rows.
    with CaptureQueriesContext(connection) as queries:
        assert selectors.yearly_trend(2025) == trend_rows
    assert len(queries.captured_queries) == 1
    assert "reporting_closedyearfigures" in queries.captured_queries[0]["sql"]


def test_the_year_under_way_is_summed_live_not_stored(pinned):
    seed_years()
    trend_rows = selectors.yearly_trend(2026)

    assert 2026 not in stored()
    assert trend_rows[-1]["financial_year"] == "2026/27"
    assert trend_rows[-1]["stages"][0]["received"] == 7
    assert trend.is_settled(2025) and not trend.is_closed(2026)


def test_the_annual_reports_year_under_way_is_the_trend_summed_on_its_own(pinned):
    seed_years()
    # Stages 3 and 4 requested in the year before; stage 3 answered in the year under way (its working days count
    # there), stage 4 not at all (the year under way has no row for it).
    stages = [
        Stage(1, D("2025-05-01"), D("2025-05-12"), "upheld", True, False, 7),
        Stage(2, D("2025-06-02"), D("2025-06-23"), "upheld", True, False, 14),
        Stage(3, D("2026-01-05"), D("2026-04-20"), "upheld", True, False, 30),
        Stage(4, D("2026-02-02")),
    ]
    write_complaints([Spec("Responsive Repairs (Mears)", stages)])

    report = selectors.annual_report(2026)
    assert report["trend"] == selectors.yearly_trend(2026)
    assert [row["stage"] for row in report["trend"][-1]["stages"]] == [1, 2, 3]
    assert report["trend"][-1]["stages"][2] == {"stage": 3, "received": 0, "average_working_days": 30}


def test_a_stored_year_is_recomputed_when_a_case_of_that_year_changes(pinned):
    seed_years()
    selectors.yearly_trend(2025)
    assert stored()[2024][0]["received"] == 5

    # A late-logged complaint of 2024/25 and its acknowledgement, through the services, as an officer does.
    officer = UserFactory(username="co", role=Role.COMPLAINTS_OFFICER)
    complaint = log_complaint(received_on=D("2024-06-03"), assigned_to=officer)
    assert stored()[2024][0]["received"] == 6
    services.acknowledge(complaint, on=D("2024-06-04"), actor=officer)
    assert stored() == trend.compute(range(2021, 2026))
    assert selectors.yearly_trend(2025)[3]["stages"][0]["received"] == 6

    # Other years' rows are untouched.
    assert stored()[2023][0]["received"] == 4


def test_the_nightly_check_recomputes_stored_years_after_bulk_writes(pinned):
    seed_years()
    selectors.yearly_trend(2025)
    # Rows written in bulk (an import) reach the stored years when their facts are refreshed.
    first = datetime.date(2022, 7, 1)
    write_complaints([Spec("Responsive Repairs (Mears)", [Stage(1, first, first + datetime.timedelta(days=9))])])
    assert stored()[2022][0]["received"] == 4
    ClosedYearFigures.objects.filter(financial_year=2023).update(stages=[])  # however a row went wrong

    facts.refresh_all()

    assert stored() == trend.compute(range(2021, 2026))


def test_the_monthly_report_job_stores_the_years_just_closed(pinned, settings):
    settings.MONTHLY_REPORT_RECIPIENTS = []
    seed_years()
    with time_machine.travel(datetime.datetime(2026, 4, 1, 7, tzinfo=datetime.UTC), tick=False):
        monthly.run_monthly_report(D("2026-04-01"))
        # The year that ended yesterday is still summed live: a change begun before midnight may be committing.
        assert sorted(stored()) == [2021, 2022, 2023, 2024]
        assert selectors.yearly_trend(2025)[-1]["stages"][0]["received"] == 6
        assert 2025 not in stored()
    with time_machine.travel(datetime.datetime(2026, 5, 1, 7, tzinfo=datetime.UTC), tick=False):
        monthly.run_monthly_report(D("2026-05-01"))
    assert sorted(stored()) == [2021, 2022, 2023, 2024, 2025]
    assert stored() == trend.compute(range(2021, 2026))


def landlord_complaints():
    """Landlord-scheme complaints of 2025/26: one acknowledged in time, one late, one not accepted."""
    officer = UserFactory(username="co", role=Role.COMPLAINTS_OFFICER)
    landlord = log_complaint(received_on=D("2025-05-06"), assigned_to=officer)
    services.acknowledge(landlord, on=D("2025-05-07"), actor=officer)
    late = log_complaint(received_on=D("2025-06-02"), assigned_to=officer)
    services.acknowledge(late, on=D("2025-06-16"), actor=officer)
    refused = log_complaint(received_on=D("2025-07-01"), assigned_to=officer)
    services.refuse(
        refused, actor=officer, on=D("2025-07-02"), reason=RefusalReason.LEGAL_PROCEEDINGS, details="In court."
    )
    return officer


def test_the_self_assessment_is_built_from_the_annual_reports_figures(pinned):
    landlord_complaints()

    report = selectors.annual_report(2025)
    page = selectors.self_assessment(2025)
    year = selectors.AnnualFigures(2025)

    assert report["self_assessment"]["questions"] == page["questions"]
    assert report["self_assessment"]["escalation"] == page["escalation"]
    figures = {q["provision"]: q for q in page["questions"] if q["computed"]}
    landlord = year.landlord_scheme
    assert figures["6.2"]["figure"] == landlord["acknowledgements"][1]["percent_met"] == 50
    assert figures["6.2"]["answer"].startswith("1 of 2 acknowledgements within 5 working days")
    assert report["acknowledgements"] == {"made": 2, "met": 1, "percent_met": 50}
    assert figures["2.1"]["figure"] == landlord["refusals"]["complaints_refused_total"] == 1
    assert report["refusals"]["complaints_refused_total"] == 1


def test_the_annual_report_counts_each_shared_figure_once(pinned):
    landlord_complaints()
    with CaptureQueriesContext(connection) as queries:
        selectors.annual_report(2025)
    sql = [q["sql"] for q in queries.captured_queries]
    # Acknowledgements once, from the stored figures alone (no clock or fact row is read).
    assert sum("'acknowledged'" in s and "complaintfigures" in s for s in sql) == 1
    assert not any('"reporting_complaintstagefact"."acknowledged_in_time"' in s for s in sql)
    assert not any("sla_clock" in s and "acknowledgement" in s for s in sql)
    assert sum('"complaints_complaint"."refused_on" >=' in s for s in sql) == 1
    assert sum('FROM "complaints_escalationrefusal"' in s for s in sql) == 2  # counted by scheme, and listed


def test_the_2020_form_reuses_the_annual_figures_too(pinned):
    landlord_complaints()
    year = selectors.AnnualFigures(2023)
    assert selectors.self_assessment(2023, year) == selectors.self_assessment(2023)
    assert (
        selectors.self_assessment(2023, year)["questions"]
        == selectors.annual_report(2023)["self_assessment"]["questions"]
    )


def test_enquiries_are_counted_by_the_days_they_were_received_and_answered(pinned):
    _, office_member = make_office()
    received_before = submit_enquiry(office_member, received_on=D("2025-03-20"))
    received_in = submit_enquiry(office_member, received_on=D("2025-04-10"))
    answered_after = submit_enquiry(office_member, received_on=D("2026-03-25"))
    Enquiry.objects.filter(pk=received_before.pk).update(
        responded_on=D("2025-04-02"), responded_in_time=True, working_days_to_respond=9
    )
    Enquiry.objects.filter(pk=received_in.pk).update(
        responded_on=D("2025-04-20"), responded_in_time=False, working_days_to_respond=6
    )
    Enquiry.objects.filter(pk=answered_after.pk).update(
        responded_on=D("2026-04-02"), responded_in_time=True, working_days_to_respond=5
    )

    data = selectors.enquiry_figures(financial_year(2025))

    assert data["total"] == {
        "received": 2,
        "responded": 2,
        "on_time": 1,
        "percent_on_time": 50,
        "average_working_days": 7.5,
    }
    assert data["months"] == {D("2025-04-01"): 1, D("2026-03-01"): 1}  # received in the year, by month
