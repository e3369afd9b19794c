"""Procedures are date-effective: each complaint keeps the version in force on the day it was received,
and its deadlines follow that version's stages."""

import datetime

import pytest

from casework.roles import Role
from complaints import services
from complaints.models import ComplaintStatus, Procedure, ProcedureVersion
from sla.models import Clock
from tests.factories import IssueNatureFactory, ServiceAreaFactory, UserFactory, log_complaint

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)


def due(complaint, kind, stage=1):
    return Clock.objects.get(case=complaint, kind=kind, stage=stage, stopped_on__isnull=True).due_on


@pytest.mark.parametrize(
    ("received", "procedure"),
    [
        ("2020-08-31", "legacy-corporate-three-stage"),
        ("2020-09-01", "hos-code-2020"),
        ("2022-03-31", "hos-code-2020"),
        ("2022-04-01", "hos-code-2022"),
        ("2024-03-28", "hos-code-2022"),
        ("2024-04-01", "hos-code-2024"),
    ],
)
def test_each_version_of_the_housing_ombudsmans_code_applies_from_its_date(received, procedure):
    assert services.version_in_force(D(received)).procedure.code == procedure


def test_a_legacy_case_keeps_three_stages_while_a_new_one_gets_two(officer):
    legacy = log_complaint(received_on=D("2020-08-28"))
    new = log_complaint(received_on=D("2024-04-02"))
    assert legacy.procedure_version.stages.count() == 3
    assert new.procedure_version.stages.count() == 2

    # An administrator schedules a new version later: existing complaints keep theirs.
    later = ProcedureVersion.objects.create(
        procedure=Procedure.objects.get(code="stage-1-complaint-review"),
        scheme=new.procedure_version.scheme,
        applies_from=D("2025-06-01"),
    )
    later.stages.create(number=1, name="Stage 1", respond_within=15, respond_from="receipt")
    new.refresh_from_db()
    assert new.procedure_version.procedure.code == "hos-code-2024"
    assert log_complaint(received_on=D("2025-06-02")).procedure_version == later


def test_code_stage_1_acknowledge_in_5_and_respond_in_10_from_the_acknowledgement(officer):
    # Saturday 21 December 2024: acknowledge by Tuesday 31 December.
    complaint = log_complaint(received_on=D("2024-12-21"))
    assert due(complaint, "acknowledgement") == D("2024-12-31")
    assert not Clock.objects.filter(case=complaint, kind="response", stage=1).exists()
    complaint = services.acknowledge(complaint, on=D("2024-12-31"), actor=officer)
    assert due(complaint, "response") == D("2025-01-15")
    complaint = services.extend(
        complaint,
        actor=officer,
        granted_on=D("2025-01-10"),
        reason="Waiting for the surveyor",
        resident_told_on=D("2025-01-10"),
        extra_working_days=10,
    )
    assert due(complaint, "response") == D("2025-01-29")


def test_code_acknowledgement_skips_the_early_may_bank_holiday(officer):
    complaint = log_complaint(received_on=D("2024-05-02"))
    complaint.refresh_from_db()
    assert due(complaint, "acknowledgement") == D("2024-05-10")


def test_an_early_acknowledgement_brings_the_response_forward(officer):
    complaint = log_complaint(received_on=D("2025-04-17"))
    assert due(complaint, "acknowledgement") == D("2025-04-28")
    complaint = services.acknowledge(complaint, on=D("2025-04-22"), actor=officer)
    assert due(complaint, "response") == D("2025-05-07")


def test_code_stage_2_acknowledge_in_5_of_the_request_and_respond_in_20(officer):
    complaint = log_complaint(received_on=D("2025-04-17"))
    services.acknowledge(complaint, on=D("2025-04-28"), actor=officer)
    services.assign(complaint, officer, actor=officer)
    services.respond(
        complaint,
        actor=officer,
        on=D("2025-05-13"),
        summary="Repair booked.",
        points=[services.Point("Leak not fixed", "not_upheld")],
    )
    reviewer = UserFactory(username="reviewer", role=Role.COMPLAINTS_OFFICER)
    complaint = services.escalate(complaint, actor=officer, requested_on=D("2025-05-15"), handler=reviewer)
    assert complaint.current_stage == 2
    assert due(complaint, "acknowledgement", 2) == D("2025-05-22")
    complaint = services.acknowledge(complaint, on=D("2025-05-22"), actor=reviewer)
    assert due(complaint, "response", 2) == D("2025-06-20")  # 26 May is a bank holiday
    complaint = services.extend(
        complaint,
        actor=reviewer,
        granted_on=D("2025-06-10"),
        reason="Contractor's records requested",
        resident_told_on=D("2025-06-10"),
        extra_working_days=20,
    )
    assert due(complaint, "response", 2) == D("2025-07-18")


def test_legacy_stages_respond_in_15_from_receipt_with_no_acknowledgement_step(officer):
    # A corporate (LGSCO) service's complaint: the council's own procedure until the LGSCO's Code of April 2026.
    area = ServiceAreaFactory(name="Allocations", ombudsman="lgsco")
    complaint = log_complaint(
        received_on=D("2023-05-04"),
        service_area=area,
        issue_nature=IssueNatureFactory(name="Allocations", service_area=area),
    )
    assert complaint.procedure_version.scheme.code == "corporate"
    assert complaint.procedure_version.procedure.code == "legacy-corporate-three-stage"
    assert not Clock.objects.filter(case=complaint, kind="acknowledgement", stage=1).exists()
    assert due(complaint, "response") == D("2023-05-26")  # Coronation and early May skipped
    assert "acknowledge" not in services.allowed_actions(complaint)
    services.assign(complaint, officer, actor=officer)
    complaint = services.respond(
        complaint, actor=officer, on=D("2023-05-25"), summary="Sorry.", points=[services.Point("Delay", "upheld")]
    )
    second = UserFactory(username="second", role=Role.COMPLAINTS_OFFICER)
    third = UserFactory(username="third", role=Role.MANAGER)
    complaint = services.escalate(complaint, actor=officer, requested_on=D("2023-06-01"), handler=second)
    assert due(complaint, "response", 2) == D("2023-06-22")
    services.respond(
        complaint, actor=second, on=D("2023-06-20"), summary="Reviewed.", points=[services.Point("Delay", "upheld")]
    )
    complaint = services.escalate(complaint, actor=officer, requested_on=D("2023-06-26"), handler=third)
    assert complaint.current_stage == 3
    assert due(complaint, "response", 3) == D("2023-07-24")
    complaint = services.respond(
        complaint,
        actor=third,
        on=D("2023-07-20"),
        summary="Corporate review.",
        points=[services.Point("Delay", "upheld")],
    )
    assert complaint.status == ComplaintStatus.RESPONDED
    assert "escalate" not in services.allowed_actions(complaint)
    assert complaint.is_final_stage


def test_a_complaint_received_on_a_bank_holiday_counts_from_that_day(officer):
    complaint = log_complaint(received_on=D("2025-12-25"))
    assert due(complaint, "acknowledgement") == D("2026-01-05")  # 29, 30, 31 Dec, 2 and 5 Jan
