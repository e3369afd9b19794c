"""The SLA dashboard's figures and their links, the stored facts following the services, and the tenant
satisfaction measures."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from casework.models import StockType, Team
from casework.roles import Role
from complaints import services
from reporting import selectors
from reporting.models import ComplaintStageFact, Satisfaction, StockCount, SurveyAnswer
from sla import engine
from tests.factories import PropertyFactory, ResidentFactory, UserFactory, log_complaint

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def handler():
    return UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)


def points(decision="upheld"):
    return [services.Point("The leak was not fixed", decision)]


def test_dashboard_counts_open_work_and_each_figure_links_to_exactly_those_cases(client, handler):
    today = datetime.date.today()
    team = Team.objects.create(name="Housing feedback")
    # Received 10 working days ago and never acknowledged: acknowledgement overdue, and overdue.
    late = log_complaint(received_on=engine.add_working_days(today, -10), assigned_to=handler, team=team)
    # Received today: due in 5 working days, not soon.
    fresh = log_complaint(received_on=today, assigned_to=handler)
    # Acknowledged, then answered and closed today.
    done = log_complaint(received_on=engine.add_working_days(today, -3))
    services.acknowledge(done, on=engine.add_working_days(today, -2), actor=handler)
    services.respond(done, actor=handler, on=today, summary="Fixed", points=points())
    services.close(done, actor=handler)

    data = selectors.dashboard(today)
    complaints = next(k for k in data["kinds"] if k["kind"] == "complaint")
    assert complaints["open"] == 2
    assert complaints["overdue"] == 1
    assert complaints["acknowledgement_overdue"] == 1
    assert complaints["due_today"] == 0
    assert complaints["opened_recently"] == 2  # fresh and done (the late one is older than 7 days)
    assert complaints["closed_recently"] == 1
    officer_row = next(r for r in data["officers"] if r["officer_id"] == handler.pk and r["kind"] == "complaint")
    assert (officer_row["open"], officer_row["overdue"]) == (2, 1)
    team_row = next(r for r in data["teams"] if r["team_id"] == team.pk)
    assert (team_row["open"], team_row["acknowledgement_overdue"]) == (1, 1)

    client.force_login(UserFactory(username="boss", role=Role.MANAGER))
    page = client.get("/dashboard/")
    assert page.status_code == 200
    expectations = {
        "overdue": {late.reference},
        "acknowledgement_overdue": {late.reference},
        "open": {late.reference, fresh.reference},
        "opened_recently": {fresh.reference, done.reference},
        "closed_recently": {done.reference},
    }
    for figure, references in expectations.items():
        link = complaints["links"][figure]
        assert link in page.content.decode().replace("&amp;", "&")
        queue = client.get(link)
        shown = {c.reference for c in queue.context["page"]}
        assert shown == references, figure
    team_queue = client.get(team_row["links"]["open"])
    assert {c.reference for c in team_queue.context["page"]} == {late.reference}


def test_dashboard_leaves_merged_duplicates_out_of_the_cases_opened_and_closed_in_the_last_7_days(handler):
    resident = ResidentFactory()
    with time_machine.travel(datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC), tick=False):
        survivor = log_complaint(resident=resident, received_on=D("2026-11-27"), assigned_to=handler)
        duplicate = log_complaint(resident=resident, received_on=D("2026-11-30"), assigned_to=handler)
        services.merge(duplicate, into=survivor, actor=handler, reason="Same leak, phoned twice")

        complaints = next(k for k in selectors.dashboard(D("2026-11-30"))["kinds"] if k["kind"] == "complaint")
    # The duplicate was received and closed (by the merge) within the week; only the complaint it repeated counts.
    assert complaints["opened_recently"] == 1
    assert complaints["closed_recently"] == 0
    assert complaints["open"] == 1


def test_dashboard_is_for_managers_administrators_and_complaints_officers(client):
    client.force_login(UserFactory(username="inv", role=Role.INVESTIGATING_OFFICER))
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/api/v1/reports/dashboard/").status_code == 403
    client.force_login(UserFactory(username="co", role=Role.COMPLAINTS_OFFICER))
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/reports/").status_code == 403


def test_facts_follow_the_services_and_the_nightly_check_repairs_bulk_rows(handler):
    complaint = log_complaint(received_on=D("2025-04-17"), assigned_to=handler)
    services.acknowledge(complaint, on=D("2025-04-22"), actor=handler)
    services.respond(complaint, actor=handler, on=D("2025-05-06"), summary="Sorry", points=points("partly_upheld"))
    fact = ComplaintStageFact.objects.get(complaint=complaint)
    assert (fact.responded_on, fact.outcome, fact.within_code_timescale) == (D("2025-05-06"), "partly_upheld", True)
    data = selectors.performance(selectors.financial_year(2025))
    assert data["headline"]["received"] == 1 and data["headline"]["partly_upheld"] == 1

    # A change written without saving the model (as an import does) is put right by the nightly check.
    from complaints.models import ComplaintStage

    ComplaintStage.objects.filter(complaint=complaint).update(outcome="not_upheld")
    assert selectors.performance(selectors.financial_year(2025))["headline"]["not_upheld"] == 0
    call_command("run_report_figures_check")
    assert selectors.performance(selectors.financial_year(2025))["headline"]["not_upheld"] == 1


def test_tenant_satisfaction_measures_lcra_and_lcho_apart_with_code_extensions_in_time(handler):
    manager = UserFactory(username="boss", role=Role.MANAGER)
    rented = PropertyFactory(stock_type=StockType.LCRA)
    shared = PropertyFactory(stock_type=StockType.LCHO)
    StockCount.objects.create(reporting_year=2025, stock_type=StockType.LCRA, homes=2000)
    StockCount.objects.create(reporting_year=2025, stock_type=StockType.LCHO, homes=500)

    # LCRA: one answered late but within a Code-compliant extension (in time), one answered late (not).
    extended = log_complaint(received_on=D("2025-04-17"), resident=ResidentFactory(home=rented), assigned_to=handler)
    services.acknowledge(extended, on=D("2025-04-22"), actor=handler)
    services.extend(
        extended,
        actor=handler,
        granted_on=D("2025-05-01"),
        reason="Waiting for the contractor's report",
        resident_told_on=D("2025-05-01"),
        extra_working_days=10,
    )
    services.respond(extended, actor=handler, on=D("2025-05-19"), summary="Done", points=points())
    late = log_complaint(received_on=D("2025-04-17"), resident=ResidentFactory(home=rented), assigned_to=handler)
    services.acknowledge(late, on=D("2025-04-22"), actor=handler)
    services.respond(late, actor=handler, on=D("2025-05-19"), summary="Done", points=points())
    # LCHO: one stage 1 answered in time and escalated to stage 2.
    escalated = log_complaint(received_on=D("2025-04-17"), resident=ResidentFactory(home=shared), assigned_to=handler)
    services.acknowledge(escalated, on=D("2025-04-22"), actor=handler)
    services.respond(escalated, actor=handler, on=D("2025-05-02"), summary="Done", points=points("not_upheld"))
    services.escalate(escalated, actor=handler, requested_on=D("2025-05-09"), handler=manager)
    for answer in (Satisfaction.VERY_SATISFIED, Satisfaction.FAIRLY_SATISFIED, Satisfaction.VERY_DISSATISFIED):
        SurveyAnswer.objects.create(answered_on=D("2025-10-01"), stock_type=StockType.LCRA, answer=answer)
    SurveyAnswer.objects.create(answered_on=D("2024-10-01"), stock_type=StockType.LCRA, answer="very_dissatisfied")

    measures = {m["stock_type"]: m for m in selectors.tenant_satisfaction(2025)["measures"]}
    lcra, lcho = measures["lcra"], measures["lcho"]
    assert lcra["stage_1_received"] == 2 and lcra["ch01_1"] == Decimal("1.0")  # 2 per 2,000 homes
    assert (lcra["stage_1_within_timescale"], lcra["stage_1_responded"], lcra["ch02_1"]) == (1, 2, Decimal("50.0"))
    assert lcra["tp09"] == Decimal("66.7")  # 2 of this year's 3 answers
    assert lcho["stage_1_received"] == 1 and lcho["ch01_1"] == Decimal("2.0")
    assert lcho["stage_2_received"] == 1 and lcho["ch01_2"] == Decimal("2.0")
    assert lcho["ch02_1"] == Decimal("100.0") and lcho["ch02_2"] is None  # no stage 2 answered yet
