"""An ombudsman case through its stages, through the services: allowed and refused transitions, the
information request's clocks, the determination's validation per ombudsman, orders and compliance."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import TimelineEvent
from casework.roles import Role
from casework.services import DomainError
from learning.models import LearningActionPlan, PlanOrigin
from ombudsman import services
from ombudsman.models import FindingCategory, OmbudsmanStage, OrderKind
from sla.models import Clock, ClockStatus
from sla.sweep import run_deadline_sweep
from tests.factories import ServiceAreaFactory, UserFactory, finding_category, log_complaint, open_ombudsman_case

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db

F = services.FindingLine
O = services.OrderLine  # noqa: E741


def test_a_case_opened_from_a_complaint_carries_it_over_and_is_linked_both_ways(officer):
    complaint = log_complaint(received_on=D("2025-04-17"))
    case = open_ombudsman_case(
        officer, original_complaint=complaint, ombudsman_reference="202501234", assigned_to=officer
    )
    assert case.reference.startswith("OMB-2025-")
    assert case.status == OmbudsmanStage.ENQUIRY
    assert (case.resident, case.service_area, case.summary) == (
        complaint.resident,
        complaint.service_area,
        complaint.summary,
    )
    assert list(complaint.ombudsman_cases.all()) == [case]
    referred = TimelineEvent.objects.get(case=complaint, kind="referred_to_ombudsman")
    assert case.reference in referred.summary and "202501234" in referred.summary
    with pytest.raises(DomainError, match="already a case with the ombudsman's reference"):
        open_ombudsman_case(officer, original_complaint=complaint, ombudsman_reference="202501234")
    with pytest.raises(DomainError, match="before the complaint was received"):
        open_ombudsman_case(officer, original_complaint=complaint, received_on=D("2025-04-01"))
    with pytest.raises(DomainError, match="future"):
        open_ombudsman_case(officer, original_complaint=complaint, received_on=D("2099-01-01"))


def test_the_stages_in_order_and_the_transitions_refused_on_the_way(officer):
    case = open_ombudsman_case(officer)
    assert services.allowed_actions(case) == ["assign", "start_assessment", "request_information", "close"]
    with pytest.raises(DomainError, match="cannot be moved to investigation"):
        services.start_investigation(case, actor=officer, on=D("2025-06-03"))
    with pytest.raises(DomainError, match="cannot be given a determination"):
        services.record_determination(case, actor=officer, determined_on=D("2025-06-03"), findings=[])

    case = services.start_assessment(case, actor=officer, on=D("2025-06-03"))
    assert case.status == OmbudsmanStage.ASSESSMENT
    with pytest.raises(DomainError, match="cannot be moved to assessment"):
        services.start_assessment(case, actor=officer, on=D("2025-06-03"))

    item = services.request_information(
        case, actor=officer, received_on=D("2025-06-04"), due_on=D("2025-06-25"), details="Repairs records"
    )
    case.refresh_from_db()
    assert case.status == OmbudsmanStage.INFORMATION_REQUESTED
    assert services.why_not_allowed(case, "start_investigation") == (
        "Send the reply to the ombudsman's open request for information first."
    )
    with pytest.raises(DomainError, match="open request for information"):
        services.start_investigation(case, actor=officer, on=D("2025-06-20"))

    services.send_reply(item, actor=officer, sent_on=D("2025-06-20"), summary="Repairs log and letters sent")
    case = services.start_investigation(case, actor=officer, on=D("2025-07-01"))
    assert case.status == OmbudsmanStage.INVESTIGATION
    assert "start_investigation" not in services.allowed_actions(case)

    services.record_determination(
        case,
        actor=officer,
        determined_on=D("2025-09-01"),
        findings=[F("Repairs to the leak", finding_category("Property condition"), "no_maladministration")],
    )
    case.refresh_from_db()
    assert case.status == OmbudsmanStage.DETERMINATION
    assert services.allowed_actions(case) == ["assign", "close"]
    case = services.close(case, actor=officer, on=D("2025-09-02"))
    assert case.status == OmbudsmanStage.CLOSED and case.closed_at is not None
    assert services.allowed_actions(case) == []
    with pytest.raises(DomainError, match="cannot be closed"):
        services.close(case, actor=officer, on=D("2025-09-03"))
    kinds = list(case.timeline.values_list("kind", flat=True))
    assert kinds == [
        "opened",
        "start_assessment",
        "request_information",
        "information_sent",
        "start_investigation",
        "record_determination",
        "close",
    ]


def test_closing_before_a_determination_needs_a_reason_and_stops_the_clocks(officer):
    case = open_ombudsman_case(officer)
    item = services.request_information(
        case, actor=officer, received_on=D("2025-06-04"), due_on=D("2025-06-25"), details="Records"
    )
    with pytest.raises(DomainError, match="Say why"):
        services.close(case, actor=officer, on=D("2025-06-10"))
    services.close(case, actor=officer, on=D("2025-06-10"), reason="The ombudsman declined to investigate.")
    item.clock.refresh_from_db()
    assert item.clock.status == ClockStatus.STOPPED
    case.refresh_from_db()
    assert case.next_due_on is None and case.closure_reason == "The ombudsman declined to investigate."


def test_only_complaints_officers_and_managers_handle_ombudsman_cases(officer):
    case = open_ombudsman_case(officer)
    investigator = UserFactory(username="inv", role=Role.INVESTIGATING_OFFICER)
    with pytest.raises(DomainError, match="not a complaints officer"):
        services.assign(case, investigator, actor=officer)
    colleague = UserFactory(username="colleague", role=Role.COMPLAINTS_OFFICER)
    case = services.assign(case, colleague, actor=officer)
    assert case.assigned_to == colleague
    assert colleague.notifications.filter(case=case, kind="assigned").exists()


# --- Information requests and their clocks ------------------------------------------------------------


def test_an_information_request_runs_a_clock_to_the_ombudsmans_date_and_the_reply_stops_it(officer):
    case = open_ombudsman_case(officer, assigned_to=officer)
    item = services.request_information(
        case, actor=officer, received_on=D("2025-06-04"), due_on=D("2025-06-25"), details="Repairs records"
    )
    assert item.clock.due_on == D("2025-06-25")
    assert item.clock.fixed_due_on == D("2025-06-25")
    assert item.clock.target_working_days == 15
    case.refresh_from_db()
    assert case.next_due_on == D("2025-06-25")

    repairs = ServiceAreaFactory(name="Responsive Repairs")
    grace = UserFactory(username="grace", role=Role.INVESTIGATING_OFFICER)
    contribution = services.ask_service(
        item,
        actor=officer,
        service_area=repairs,
        officer=grace,
        requested_on=D("2025-06-04"),
        due_on=D("2025-06-18"),
        details="Job history for the leak",
    )
    assert contribution.clock.due_on == D("2025-06-18")
    case.refresh_from_db()
    assert case.next_due_on == D("2025-06-18")  # the earliest open deadline leads the queue
    assert grace.notifications.filter(kind="ombudsman_contribution", case=case).exists()
    with pytest.raises(DomainError, match="by the ombudsman's deadline"):
        services.ask_service(
            item,
            actor=officer,
            service_area=repairs,
            officer=grace,
            requested_on=D("2025-06-05"),
            due_on=D("2025-06-26"),
        )

    contribution = services.record_contribution(
        contribution, actor=officer, received_on=D("2025-06-17"), notes="Job history"
    )
    assert contribution.clock.met is True
    with pytest.raises(DomainError, match="recorded on"):
        services.record_contribution(contribution, actor=officer, received_on=D("2025-06-18"))

    with pytest.raises(DomainError, match="Summarise"):
        services.send_reply(item, actor=officer, sent_on=D("2025-06-24"), summary="")
    item = services.send_reply(item, actor=officer, sent_on=D("2025-06-24"), summary="One reply with everything")
    clock = Clock.objects.get(pk=item.clock_id)
    assert (clock.status, clock.met, clock.working_days_taken) == (ClockStatus.STOPPED, True, 14)
    case.refresh_from_db()
    assert case.next_due_on is None
    assert "sent on time" in case.timeline.get(kind="information_sent").summary
    with pytest.raises(DomainError, match="answered on"):
        services.send_reply(item, actor=officer, sent_on=D("2025-06-25"), summary="again")
    with pytest.raises(DomainError, match="answered on"):
        services.ask_service(item, actor=officer, service_area=repairs, officer=grace, due_on=D("2025-06-25"))


def test_a_late_reply_is_recorded_as_late_and_a_missing_contribution_is_named(officer):
    case = open_ombudsman_case(officer)
    item = services.request_information(
        case, actor=officer, received_on=D("2025-06-04"), due_on=D("2025-06-11"), details="Records"
    )
    grace = UserFactory(username="grace", role=Role.INVESTIGATING_OFFICER)
    contribution = services.ask_service(
        item,
        actor=officer,
        service_area=ServiceAreaFactory(name="Tenancy Management"),
        officer=grace,
        requested_on=D("2025-06-04"),
        due_on=D("2025-06-09"),
    )
    services.send_reply(item, actor=officer, sent_on=D("2025-06-13"), summary="Reply")
    assert Clock.objects.get(pk=item.clock_id).met is False
    assert Clock.objects.get(pk=contribution.clock_id).status == ClockStatus.STOPPED
    summary = case.timeline.get(kind="information_sent").summary
    assert "late (due Wed 11 Jun 2025)" in summary
    assert "without the contributions of Tenancy Management" in summary


def test_the_ombudsman_can_agree_more_time(officer):
    case = open_ombudsman_case(officer)
    item = services.request_information(
        case, actor=officer, received_on=D("2025-06-04"), due_on=D("2025-06-11"), details="Records"
    )
    item = services.extend_information_request(
        item, actor=officer, agreed_on=D("2025-06-10"), new_due_on=D("2025-06-18"), reason="Agreed by phone"
    )
    assert item.due_on == D("2025-06-18")
    assert Clock.objects.get(pk=item.clock_id).due_on == D("2025-06-18")
    assert item.clock.extensions.get().reason == "Agreed by phone"


def test_the_deadline_sweep_reminds_and_escalates_information_requests_like_any_clock(officer, manager):
    from casework.models import Notification, Team

    team = Team.objects.create(name="Housing Feedback Team", manager=manager)
    case = open_ombudsman_case(officer, assigned_to=officer)
    case.team = team
    case.save(update_fields=["team"])
    services.request_information(
        case, actor=officer, received_on=D("2025-06-04"), due_on=D("2025-06-11"), details="Records"
    )
    run_deadline_sweep(D("2025-06-09"))  # two working days before
    reminder = Notification.objects.get(recipient=officer, kind="deadline_reminder")
    assert "Reply to the ombudsman's request for information" in reminder.subject
    assert reminder.url == case.get_absolute_url()
    run_deadline_sweep(D("2025-06-12"))  # the day after: overdue, to the team manager
    assert Notification.objects.filter(recipient=manager, kind="deadline_overdue", case=case).exists()


# --- The determination --------------------------------------------------------------------------------


def _at_investigation(officer, **overrides):
    case = open_ombudsman_case(officer, **overrides)
    return services.start_investigation(
        services.start_assessment(case, actor=officer, on=D("2025-06-03")), actor=officer, on=D("2025-06-10")
    )


def test_outcomes_are_validated_against_the_ombudsman(officer):
    housing = _at_investigation(officer)
    condition = finding_category("Property condition")
    with pytest.raises(DomainError, match="'Upheld' is not a finding the Housing Ombudsman makes"):
        services.record_determination(
            housing, actor=officer, determined_on=D("2025-09-01"), findings=[F("Leak", condition, "upheld")]
        )
    lgsco = _at_investigation(officer, ombudsman="lgsco")
    with pytest.raises(DomainError, match="not a finding the Local Government and Social Care Ombudsman makes"):
        services.record_determination(
            lgsco, actor=officer, determined_on=D("2025-09-01"), findings=[F("Banding", condition, "service_failure")]
        )
    with pytest.raises(DomainError, match="'nonsense' is not a finding"):
        services.record_determination(
            lgsco, actor=officer, determined_on=D("2025-09-01"), findings=[F("Banding", condition, "nonsense")]
        )
    determination = services.record_determination(
        lgsco,
        actor=officer,
        determined_on=D("2025-09-01"),
        findings=[F("Banding", finding_category("Allocations and homelessness"), "upheld")],
    )
    assert determination.findings.get().get_outcome_display() == "Upheld"
    assert lgsco.timeline.filter(kind="maladministration_found").exists()  # upheld is a finding of fault


def test_a_determination_needs_findings_and_sound_orders(officer):
    case = _at_investigation(officer)
    condition = finding_category("Property condition")
    finding = F("Leak", condition, "service_failure")

    def record(findings=(finding,), orders=()):
        return services.record_determination(
            case, actor=officer, determined_on=D("2025-09-01"), findings=list(findings), orders=list(orders)
        )

    with pytest.raises(DomainError, match="at least one finding"):
        record(findings=[])
    with pytest.raises(DomainError, match="Say which head of complaint"):
        record(findings=[F(" ", condition, "service_failure")])
    retired = FindingCategory.objects.create(name="Old category", is_active=False)
    with pytest.raises(DomainError, match="no longer in use"):
        record(findings=[F("Leak", retired, "service_failure")])
    with pytest.raises(DomainError, match="Enter the compensation"):
        record(orders=[O("compensation", due_on=D("2025-10-01"), finding_number=1)])
    with pytest.raises(DomainError, match="Choose the finding of the determination"):
        record(orders=[O("compensation", amount_pence=10000, due_on=D("2025-10-01"))])
    with pytest.raises(DomainError, match="There is no finding 2"):
        record(orders=[O("apology", due_on=D("2025-10-01"), finding_number=2)])
    with pytest.raises(DomainError, match="Enter the date the ombudsman set"):
        record(orders=[O("apology")])
    with pytest.raises(DomainError, match="before the determination"):
        record(orders=[O("apology", due_on=D("2025-08-01"))])
    # A recommendation need not have a due date.
    determination = record(
        orders=[
            O("compensation", amount_pence=25000, due_on=D("2025-10-01"), finding_number=1),
            O("policy_review", kind=OrderKind.RECOMMENDATION, description="Review the repairs policy"),
        ]
    )
    compensation, review = determination.orders.order_by("id")
    assert compensation.clock.due_on == D("2025-10-01") and compensation.finding.category == condition
    assert review.clock is None


def test_findings_of_fault_open_a_learning_action_plan_for_the_service(officer):
    case = _at_investigation(officer)
    services.record_determination(
        case,
        actor=officer,
        determined_on=D("2025-09-01"),
        findings=[
            F("Repairs to the leak", finding_category("Property condition"), "maladministration"),
            F("Handling of the complaint", finding_category("Complaints handling"), "no_maladministration"),
        ],
    )
    plan = LearningActionPlan.objects.get(origin=PlanOrigin.OMBUDSMAN)
    assert plan.service_area == case.service_area and plan.month == D("2025-09-01")
    assert [source.finding.complaint_head for source in plan.sources.all()] == ["Repairs to the leak"]
    assert [source.case.reference for source in plan.sources.all()] == [case.reference]
    entry = case.timeline.get(kind="maladministration_found")
    assert "Repairs to the leak (Property condition: maladministration)" in entry.summary
    assert "Handling of the complaint" not in entry.summary
    assert plan.reference in entry.summary

    clean = _at_investigation(officer)
    services.record_determination(
        clean,
        actor=officer,
        determined_on=D("2025-09-01"),
        findings=[F("Repairs", finding_category("Property condition"), "no_maladministration")],
    )
    assert LearningActionPlan.objects.count() == 1
    assert not clean.timeline.filter(kind="maladministration_found").exists()


def test_the_plan_page_and_api_show_the_finding_it_learns_from(officer, client):
    case = _at_investigation(officer)
    services.record_determination(
        case,
        actor=officer,
        determined_on=D("2025-09-01"),
        findings=[F("Repairs to the leak", finding_category("Property condition"), "service_failure")],
    )
    plan = LearningActionPlan.objects.get()
    client.force_login(officer)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Repairs to the leak" in page and case.reference in page and "Service failure" in page
    source = client.get(f"/api/v1/learning/plans/{plan.reference}/").json()["sources"][0]
    assert source["kind"] == "ombudsman_finding" and source["case"] == case.reference
    assert source["finding"] == "Repairs to the leak" and source["complaint"] is None


def test_orders_are_complied_with_evidenced_and_then_the_case_closes(officer):
    case = _at_investigation(officer, assigned_to=officer)
    determination = services.record_determination(
        case,
        actor=officer,
        determined_on=D("2025-09-01"),
        findings=[F("Leak", finding_category("Property condition"), "maladministration")],
        orders=[
            O("compensation", amount_pence=30000, due_on=D("2025-09-29"), finding_number=1),
            O("apology", due_on=D("2025-09-15"), finding_number=1),
            O("staff_training", kind=OrderKind.RECOMMENDATION, due_on=D("2025-12-01")),
        ],
    )
    compensation, apology, training = determination.orders.order_by("id")
    case.refresh_from_db()
    assert case.next_due_on == D("2025-09-15")
    assert services.why_not_allowed(case, "close").startswith("Every order needs compliance")
    with pytest.raises(DomainError, match="Record compliance before"):
        services.record_evidence_sent(apology, actor=officer, sent_on=D("2025-09-10"))
    with pytest.raises(DomainError, match="Describe the evidence"):
        services.record_compliance(apology, actor=officer, complied_on=D("2025-09-10"), evidence=" ")

    letter = SimpleUploadedFile("apology.pdf", b"%PDF-1.4 apology letter", content_type="application/pdf")
    apology = services.record_compliance(
        apology, actor=officer, complied_on=D("2025-09-10"), evidence="Letter of apology sent", files=[letter]
    )
    assert apology.clock.met is True and apology.complied_in_time is True
    assert [a.original_name for a in apology.evidence.all()] == ["apology.pdf"]
    assert apology.evidence.get().case_id == case.pk
    with pytest.raises(DomainError, match="complied with on"):
        services.record_compliance(apology, actor=officer, complied_on=D("2025-09-11"), evidence="again")
    services.record_evidence_sent(apology, actor=officer, sent_on=D("2025-09-11"))

    compensation = services.record_compliance(
        compensation, actor=officer, complied_on=D("2025-10-03"), evidence="Paid to the rent account"
    )
    assert compensation.clock.met is False and compensation.complied_in_time is False
    assert "after its due date" in case.timeline.filter(kind="order_complied").last().summary
    case.refresh_from_db()
    assert services.why_not_allowed(case, "close") is not None  # evidence not sent yet
    services.record_evidence_sent(compensation, actor=officer, sent_on=D("2025-10-06"))
    case.refresh_from_db()
    assert services.why_not_allowed(case, "close") is None  # a recommendation does not hold the case open
    services.close(case, actor=officer, on=D("2025-10-06"))
    training.clock.refresh_from_db()
    assert training.clock.status == ClockStatus.STOPPED
    with pytest.raises(DomainError, match="case is closed"):
        services.record_compliance(training, actor=officer, complied_on=D("2025-10-07"), evidence="Done")
